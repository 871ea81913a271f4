import { Alert, Anchor, Button, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ContactForm } from '../../../components/case/ContactForm';
import { problemText, refreshCase, useCase, type CaseData } from '../../../components/case/queries';
import { uploadAll, type PickedFile } from '../../../components/case/upload';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useI18n } from '../../../i18n';
import { useSession } from '../../../session';
import { useFiling } from './context';
import { Loading } from '../../../components/case/Loading';
import { usePageTitle } from '../../../components/case/usePageTitle';

/** The open deadlines, soonest first: what happens next and by when. */
export function NextSteps({
  deadlines,
}: {
  deadlines: { kind: string; dueAt: string | null; status: string }[];
}) {
  const { t, tDynamic, fmt } = useI18n();
  const open = deadlines
    .filter((d) => d.status === 'running' && d.dueAt)
    .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
  if (open.length === 0) return null;
  return (
    <List spacing="xs">
      {open.map((deadline) => (
        <List.Item key={deadline.kind}>
          {t('file.done.deadline', {
            what: tDynamic(`file.next.${deadline.kind}`),
            date: fmt.dateTime(deadline.dueAt!),
            relative: fmt.relative(deadline.dueAt!),
          })}
        </List.Item>
      ))}
    </List>
  );
}

function RetryUploads({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const { files, setFiles } = useFiling();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const failed = files.filter((f) => f.status !== 'done');
  if (failed.length === 0) return null;

  async function retry() {
    setBusy(true);
    const update = (id: string, change: Partial<PickedFile>) =>
      setFiles((list) => list.map((f) => (f.id === id ? { ...f, ...change } : f)));
    const ok = await uploadAll(caseId, files, update, (e) => problemText(e, t));
    await refreshCase(queryClient, caseId);
    if (ok) setFiles([]);
    setBusy(false);
  }

  return (
    <Alert color="red" variant="outline" role="alert" title={t('file.done.uploadFailedTitle')}>
      <Stack gap="sm">
        <Text>{t('file.done.uploadFailed')}</Text>
        <List size="sm">
          {failed.map((f) => (
            <List.Item key={f.id}>
              {f.file.name}: {f.error ?? ''}
            </List.Item>
          ))}
        </List>
        <Button onClick={() => void retry()} loading={busy} w="fit-content">
          {t('file.done.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

/** The body this case would go to needs contact details the account does not have yet. */
function needsContact(view: CaseData): boolean {
  return (view.escalation?.missing ?? []).some((m) => m.fact.startsWith('complainant.'));
}

export function Done() {
  const { t } = useI18n();
  usePageTitle(t('file.done.title'));
  const { user } = useSession();
  const { id = '' } = useParams();
  const filed = useCase(id);
  const { reset } = useFiling();
  const queryClient = useQueryClient();
  // The draft became this case; forgetting it here keeps the summary whole while it uploads.
  useEffect(() => reset(), [reset]);
  if (filed.isPending) return <Loading />;
  if (filed.error) return <ProblemAlert error={filed.error} />;
  const view = filed.data;
  return (
    <Stack gap="md">
      <Paper bg="#1e7a34" c="white" p="lg" radius="sm">
        <Title order={1} c="white">
          {t('file.done.title')}
        </Title>
        <Text mt="sm" c="white">
          {t('file.done.yourReference')}
        </Text>
        <Text className="reference-large" c="white">
          {view.reference}
        </Text>
      </Paper>
      <RetryUploads caseId={view.id} />
      <Text>{t('file.done.email', { email: user?.email ?? '' })}</Text>
      {view.urgent && <Text fw={700}>{t('file.done.urgent')}</Text>}
      <Title order={2}>{t('file.done.nextTitle')}</Title>
      <NextSteps deadlines={view.deadlines} />
      <Text>{t('file.done.nextBody')}</Text>
      {needsContact(view) && (
        <ContactForm
          country={view.jurisdiction}
          onSaved={() => void refreshCase(queryClient, view.id)}
        />
      )}
      <Anchor component={Link} to={`/cases/${view.id}`}>
        {t('file.done.toCase', { reference: view.reference })}
      </Anchor>
    </Stack>
  );
}
