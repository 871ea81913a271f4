import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { StateBadge } from '../../components/case/StateBadge';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { Loading } from '../../components/case/Loading';
import { usePageTitle } from '../../components/case/usePageTitle';

type Listed = Schemas['CasePage']['items'][number];

/** What happens next: the soonest running deadline, or a paused clock waiting on the person. */
export function NextDeadline({ deadlines }: { deadlines: Listed['deadlines'] }) {
  const { t, tDynamic, fmt } = useI18n();
  const running = deadlines
    .filter((d) => d.status === 'running' && d.dueAt)
    .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!))[0];
  if (running) {
    return (
      <Text size="sm">
        {t('mycases.next', {
          what: tDynamic(`file.next.${running.kind}`),
          relative: fmt.relative(running.dueAt!),
          date: fmt.date(running.dueAt!),
        })}
      </Text>
    );
  }
  if (deadlines.some((d) => d.status === 'paused'))
    return <Text size="sm">{t('mycases.paused')}</Text>;
  return null;
}

function CaseCard({ item }: { item: Listed }) {
  const { t, tDynamic, fmt } = useI18n();
  return (
    <Paper component="li" withBorder p="md">
      <Stack gap={6}>
        <Group justify="space-between" align="start" gap="xs">
          <Anchor component={Link} to={`/cases/${item.id}`} fw={700} fz="lg">
            {item.reference}
          </Anchor>
          <StateBadge state={item.state} />
        </Group>
        <Text>{tDynamic(`category.${item.category}`)}</Text>
        <Text size="sm" c="dimmed">
          {t('mycases.against', { company: item.respondent.name, date: fmt.date(item.filedAt) })}
        </Text>
        {item.urgent && (
          <Badge color="red.9" variant="filled" tt="none" w="fit-content">
            {t('case.urgent')}
          </Badge>
        )}
        <NextDeadline deadlines={item.deadlines} />
      </Stack>
    </Paper>
  );
}

export function MyCases() {
  const { t } = useI18n();
  usePageTitle(t('mycases.title'));
  const navigate = useNavigate();
  const cases = useQuery({
    queryKey: ['cases', 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query: { limit: 100 } } })),
  });
  const items = [...(cases.data?.items ?? [])].sort((a, b) => b.filedAt.localeCompare(a.filedAt));
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('mycases.title')}</Title>
        <Button onClick={() => navigate('/file')}>{t('nav.file')}</Button>
      </Group>
      {cases.isPending && <Loading />}
      <ProblemAlert error={cases.error} />
      {cases.data && items.length === 0 && (
        <Paper withBorder p="lg">
          <Title order={2} size="h3">
            {t('mycases.emptyTitle')}
          </Title>
          <Text mt="xs">{t('mycases.empty')}</Text>
        </Paper>
      )}
      {items.length > 0 && (
        <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((item) => (
            <CaseCard key={item.id} item={item} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
