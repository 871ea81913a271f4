import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorSummary, type FieldError } from '../../components/ErrorSummary';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n, type I18n, type MessageKey } from '../../i18n';
import { useSession } from '../../session';
import type { Draft, FieldSpec } from './event-fields';
import { useOfficers } from './shared';

export interface FormOutcome {
  /** Someone else changed the case: it was reloaded and the draft kept. */
  conflict?: boolean;
  /** A workflow rule refused the event: its reason. */
  refused?: string;
  /** The server refused these fields (400): each message goes next to its field. */
  fields?: { name: string; message: string }[];
  failure?: unknown;
}

/** Why the last attempt did not go through, in words. */
export function OutcomeAlerts({ outcome }: { outcome: FormOutcome }) {
  const { t } = useI18n();
  return (
    <>
      {outcome.conflict && (
        <Alert color="orange" variant="outline" role="alert" title={t('workspace.conflictTitle')}>
          {t('workspace.conflict')}
        </Alert>
      )}
      {outcome.refused && (
        <Alert color="red" variant="outline" role="alert" title={t('workspace.refusedTitle')}>
          {outcome.refused}
        </Alert>
      )}
      <ProblemAlert error={outcome.failure} />
    </>
  );
}

function FieldInput({
  id,
  field,
  value,
  error,
  onChange,
}: {
  id: string;
  field: FieldSpec;
  value: string;
  error: string | undefined;
  onChange(value: string): void;
}) {
  const { t, tDynamic } = useI18n();
  const officers = useOfficers();
  const notes = [field.required ? null : t('action.optional'), field.hint ? t(field.hint) : null];
  const common = {
    id,
    label: t(field.label),
    withAsterisk: field.required,
    description: notes.filter(Boolean).join(' · ') || undefined,
    error,
    value,
  };
  if (field.kind === 'select' || field.kind === 'officer') {
    const data =
      field.kind === 'officer'
        ? (officers.data ?? []).map((officer) => ({ value: officer.id, label: officer.name }))
        : (field.options?.codes ?? []).map((code) => ({
            value: code,
            label: tDynamic(`${field.options!.prefix}.${code}`),
          }));
    return (
      <NativeSelect
        {...common}
        data={[{ value: '', label: t('action.choose') }, ...data]}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    );
  }
  const Input = field.kind === 'textarea' ? Textarea : TextInput;
  return (
    <Input
      {...common}
      maxLength={field.max}
      autosize={field.kind === 'textarea' ? true : undefined}
      minRows={field.kind === 'textarea' ? 3 : undefined}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

/** ASSIGN defaults to the officer themself once the list of officers is known. */
function useAssignDefault(fields: FieldSpec[], draft: Draft, onDraft: (draft: Draft) => void) {
  const { user } = useSession();
  const officers = useOfficers();
  useEffect(() => {
    const assign = fields.some((field) => field.kind === 'officer');
    if (assign && !draft.officerId && user && officers.data?.some((o) => o.id === user.id)) {
      onDraft({ ...draft, officerId: user.id });
    }
  }, [fields, draft, user, officers.data, onDraft]);
}

/**
 * An event's form in a dialog. The draft lives with the caller, outside the case's query
 * data, so a reload after a conflict keeps what the officer typed.
 */
interface EventFormProps {
  type: string;
  fields: FieldSpec[];
  draft: Draft;
  outcome: FormOutcome;
  busy: boolean;
  onDraft(draft: Draft): void;
  onSubmit(): void;
  onClose(): void;
  /** The event's own rules (event-fields.ts ruleErrors), checked with "required". */
  check?(draft: Draft): { name: string; message: MessageKey }[];
}

/** What the form refuses before sending: empty required fields, then the event's own rules. */
function checkForm(
  { fields, draft, check = () => [] }: Pick<EventFormProps, 'fields' | 'draft' | 'check'>,
  t: I18n['t'],
): { name: string; message: string }[] {
  return [
    ...fields
      .filter((field) => field.required && !(draft[field.name] ?? '').trim())
      .map((field) => ({
        name: field.name,
        message: t('errors.required', { field: t(field.label) }),
      })),
    ...check(draft).map((rule) => ({ name: rule.name, message: t(rule.message) })),
  ];
}

export function EventForm(props: EventFormProps) {
  const { type, fields, draft, outcome, busy, onDraft, onSubmit, onClose } = props;
  const { t, tDynamic } = useI18n();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const idOf = (name: string) => `event-${type}-${name}`;
  const name = tDynamic(`event.${type}`);
  useAssignDefault(fields, draft, onDraft);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkForm(props, t).map((error) => ({
      fieldId: idOf(error.name),
      message: error.message,
    }));
    setErrors(found);
    if (found.length === 0) onSubmit();
  }

  // What the server refused stands until the next attempt; the browser's own check comes first.
  const shown = errors.length
    ? errors
    : (outcome.fields ?? []).map((f) => ({ fieldId: idOf(f.name), message: f.message }));

  return (
    // lockScroll off: its scroll lock injects a <style> without the CSP nonce, which the browser blocks.
    <Modal
      opened
      onClose={onClose}
      title={name}
      size="lg"
      lockScroll={false}
      // Cancel closes it; a second "Close" would clash with the CLOSE action's button.
      withCloseButton={false}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorSummary errors={shown} />
          <OutcomeAlerts outcome={outcome} />
          {fields.map((field) => (
            <FieldInput
              key={field.name}
              id={idOf(field.name)}
              field={field}
              value={draft[field.name] ?? ''}
              error={shown.find((error) => error.fieldId === idOf(field.name))?.message}
              onChange={(value) => onDraft({ ...draft, [field.name]: value })}
            />
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {name}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
