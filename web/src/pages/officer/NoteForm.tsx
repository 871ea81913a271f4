import { Button, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorSummary, type FieldError } from '../../components/ErrorSummary';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';

const NOTE_MAX = 10_000;

/** Internal notes join the timeline for staff; the complainant never sees them. */
export function NoteForm({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone('');
    setFailure(null);
    const found = text.trim()
      ? []
      : [
          {
            fieldId: 'internal-note',
            message: t('errors.required', { field: t('workspace.note') }),
          },
        ];
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/v1/cases/{id}/notes', {
          params: { path: { id: caseId } },
          body: { text: text.trim() },
        }),
      );
      setText('');
      setDone(t('workspace.noteAdded'));
      void queryClient.invalidateQueries({ queryKey: ['timeline', caseId] });
      void queryClient.invalidateQueries({ queryKey: ['case', caseId] });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="note-title">
      <Title order={2} size="h3" id="note-title" mb="sm">
        {t('workspace.notes')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorSummary errors={errors} />
          <ProblemAlert error={failure} />
          <Textarea
            id="internal-note"
            label={t('workspace.note')}
            description={t('workspace.noteHint')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={errors[0]?.message}
            maxLength={NOTE_MAX}
            autosize
            minRows={3}
          />
          <Button type="submit" loading={busy}>
            {t('event.NOTE')}
          </Button>
          <Text role="status" size="sm">
            {done}
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
