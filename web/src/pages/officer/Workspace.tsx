import { Anchor, Badge, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { EvidencePanel } from '../../components/case/EvidencePanel';
import { StaffChecklist } from '../../components/case/StaffChecklist';
import { StateBadge } from '../../components/case/StateBadge';
import { Timeline } from '../../components/case/Timeline';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { ActionPanel } from './ActionPanel';
import { CaseFacts } from './CaseFacts';
import { Deadlines } from './Deadlines';
import { Timeliness } from '../../components/case/Timeliness';
import { NoteForm } from './NoteForm';
import type { CaseView } from './shared';

function Header({ item }: { item: CaseView }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs">
      <Anchor component={Link} to="/queue" size="sm">
        {t('workspace.toQueue')}
      </Anchor>
      <Group justify="space-between" align="center">
        <Group gap="sm" align="center">
          <Title order={1}>{t('workspace.title', { reference: item.reference })}</Title>
          <StateBadge state={item.state} />
          {item.urgent && (
            <Badge color="red.9" variant="filled">
              {t('case.urgent')}
            </Badge>
          )}
          {item.overdue && (
            <Badge color="orange.9" variant="filled">
              {t('case.overdue')}
            </Badge>
          )}
        </Group>
        <Anchor href={`/api/v1/cases/${item.id}/dossier?format=pdf`} download>
          {t('workspace.dossier')}
        </Anchor>
      </Group>
    </Stack>
  );
}

/** The officer's (and compliance's, read-only) view of one case. */
export function Workspace() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const { user } = useSession();
  const officer = user?.role === 'officer';
  const query = useQuery({
    queryKey: ['case', id],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}', { params: { path: { id } } })),
    refetchInterval: 30_000,
  });

  if (query.isPending) {
    return (
      <Text role="status" py="xl">
        {t('common.loading')}
      </Text>
    );
  }
  if (!query.data) {
    return (
      <Stack>
        <Title order={1}>{t('workspace.notLoaded')}</Title>
        <ProblemAlert error={query.error} />
      </Stack>
    );
  }
  const item = query.data;
  return (
    <Stack gap="md">
      <Header item={item} />
      {!officer && (
        <Text role="note" c="dimmed">
          {t('workspace.readOnly')}
        </Text>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <CaseFacts item={item} />
            <Deadlines item={item} />
            <Timeliness view={item} />
            <Paper withBorder p="md">
              <Timeline caseId={item.id} />
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <StaffChecklist view={item} canEdit={officer} />
            {officer && <ActionPanel item={item} />}
            {officer && <NoteForm caseId={item.id} />}
            <Paper withBorder p="md">
              <EvidencePanel caseId={item.id} canUpload={officer} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
