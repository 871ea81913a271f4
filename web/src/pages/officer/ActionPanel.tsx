import { Box, Button, Group, Paper, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ApiProblem, api, unwrap, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { EventForm, OutcomeAlerts, type FormOutcome } from './EventForm';
import {
  OFFICER_EVENTS,
  initialDraft,
  refusedFields,
  requestOf,
  ruleErrors,
  type Draft,
} from './event-fields';
import type { CaseView } from './shared';

type CaseEvent = Schemas['CaseEvent'];

/** Sends one event and sorts out its failure: conflict, rule refusal, anything else. */
function useSendEvent(item: CaseView) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  async function send(type: string, draft: Draft): Promise<FormOutcome | null> {
    setBusy(true);
    try {
      const body = {
        type,
        ...requestOf(type, draft, item),
        expectedVersion: item.version,
      } as CaseEvent;
      const updated = await unwrap(
        api.POST('/api/v1/cases/{id}/events', { params: { path: { id: item.id } }, body }),
      );
      queryClient.setQueryData(['case', item.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['timeline', item.id] });
      void queryClient.invalidateQueries({ queryKey: ['cases'] });
      void queryClient.invalidateQueries({ queryKey: ['caseCounts'] });
      return null;
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 409) {
        await queryClient.refetchQueries({ queryKey: ['case', item.id] });
        void queryClient.invalidateQueries({ queryKey: ['timeline', item.id] });
        return { conflict: true };
      }
      if (error instanceof ApiProblem && error.status === 422) {
        return { refused: error.detail || error.title };
      }
      const refused = refusedFields(error, OFFICER_EVENTS[type] ?? []);
      if (refused.length > 0) {
        const fields = refused.map(({ field, detail }) => ({
          name: field.name,
          message: field.invalid ? t(field.invalid) : detail,
        }));
        return { fields };
      }
      return { failure: error };
    } finally {
      setBusy(false);
    }
  }
  return { send, busy };
}

/** The panel's state: one draft per event (kept across reloads), the open form, the outcome. */
function useActions(item: CaseView) {
  const { t, tDynamic } = useI18n();
  const { send, busy } = useSendEvent(item);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [open, setOpen] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<FormOutcome>({});
  const [done, setDone] = useState('');

  const onDraft = useCallback(
    (draft: Draft) => open && setDrafts((all) => ({ ...all, [open]: draft })),
    [open],
  );

  async function run(type: string) {
    setDone('');
    const result = await send(type, drafts[type] ?? {});
    if (result) {
      setOutcome(result);
      // A field-less action has no dialog of its own: a failure opens its explanation.
      setOpen(type);
      return;
    }
    // Sent: the next form starts afresh (UPDATE_DETAILS from the details as they are now).
    setDrafts(({ [type]: _sent, ...rest }) => rest);
    setOutcome({});
    setOpen(null);
    setDone(t('workspace.done', { action: tDynamic(`event.${type}`) }));
  }

  function start(type: string) {
    setOutcome({});
    setDone('');
    if ((OFFICER_EVENTS[type] ?? []).length === 0) return void run(type);
    // Editing the company's details starts from what the case has now.
    if (!drafts[type]) setDrafts((all) => ({ ...all, [type]: initialDraft(type, item) }));
    setOpen(type);
  }

  return { busy, drafts, open, outcome, done, onDraft, run, start, close: () => setOpen(null) };
}

// Actions that do not move the case forward: outlined, beside the ones that do.
const SECONDARY = ['CLOSE', 'TRIAGE_REJECT', 'UPDATE_DETAILS'];

/** A button for each event the case takes from this officer now; with fields, a dialog. */
export function ActionPanel({ item }: { item: CaseView }) {
  const { t, tDynamic } = useI18n();
  const { busy, drafts, open, outcome, done, onDraft, run, start, close } = useActions(item);
  const events = Object.keys(OFFICER_EVENTS).filter((type) => item.allowedEvents.includes(type));
  const fields = open ? (OFFICER_EVENTS[open] ?? []) : [];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="actions-title">
      <Title order={2} size="h3" id="actions-title" mb="sm">
        {t('workspace.actions')}
      </Title>
      <Text role="status" size="sm" mb={done ? 'sm' : 0}>
        {done}
      </Text>
      {events.length === 0 ? (
        <Text>{t('workspace.noActions')}</Text>
      ) : (
        <Group gap="xs">
          {events.map((type) => (
            <Button
              key={type}
              variant={SECONDARY.includes(type) ? 'default' : 'filled'}
              onClick={() => start(type)}
              loading={busy && open === null}
            >
              {tDynamic(`event.${type}`)}
            </Button>
          ))}
        </Group>
      )}
      {open && fields.length === 0 && (
        <Box mt="sm">
          <OutcomeAlerts outcome={outcome} />
        </Box>
      )}
      {open && fields.length > 0 && (
        <EventForm
          type={open}
          fields={fields}
          draft={drafts[open] ?? {}}
          outcome={outcome}
          busy={busy}
          onDraft={onDraft}
          onSubmit={() => void run(open)}
          onClose={close}
          check={(draft) => ruleErrors(open, draft, item)}
        />
      )}
    </Paper>
  );
}
