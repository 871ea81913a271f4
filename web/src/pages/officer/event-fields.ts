import type { MessageKey } from '../../i18n';

/** One field of an officer's event form; `options` are codes shown through `${prefix}.${code}`. */
export interface FieldSpec {
  name: string;
  label: MessageKey;
  kind: 'text' | 'textarea' | 'select' | 'officer';
  required: boolean;
  max: number;
  options?: { prefix: string; codes: readonly string[] };
}

const REASON = 2_000;
const LONG = 10_000;

const reason = (required: boolean): FieldSpec => ({
  name: 'reason',
  label: 'action.reason',
  kind: 'textarea',
  required,
  max: REASON,
});
const note = (required: boolean): FieldSpec => ({
  name: 'note',
  label: 'action.note',
  kind: 'textarea',
  required,
  max: LONG,
});

/**
 * The officer's events and their payloads (workflows/events.ts EVENT_PAYLOADS), in the order
 * the action panel shows them. Events not listed here (the complainant's) never get a button.
 */
export const OFFICER_EVENTS: Record<string, FieldSpec[]> = {
  TRIAGE_ACCEPT: [],
  ASSIGN: [
    {
      name: 'officerId',
      label: 'action.officer',
      kind: 'officer',
      required: true,
      max: 200,
    },
  ],
  REQUEST_INFO: [
    { name: 'question', label: 'action.question', kind: 'textarea', required: true, max: LONG },
  ],
  REFER_TO_BANK: [note(false)],
  BANK_RESPONDED: [note(true)],
  ISSUE_HOLDING_RESPONSE: [reason(true)],
  ISSUE_RESPONSE: [
    {
      name: 'outcome',
      label: 'action.outcome',
      kind: 'select',
      required: true,
      max: 40,
      options: { prefix: 'responseOutcome', codes: ['upheld', 'partially_upheld', 'rejected'] },
    },
    { name: 'remedy', label: 'action.remedy', kind: 'text', required: false, max: REASON },
    { name: 'message', label: 'action.message', kind: 'textarea', required: true, max: LONG },
  ],
  RECORD_SUBMISSION: [
    {
      name: 'externalReference',
      label: 'action.externalReference',
      kind: 'text',
      required: true,
      max: 200,
    },
  ],
  RECORD_BODY_DECISION: [
    {
      name: 'decision',
      label: 'action.decision',
      kind: 'select',
      required: true,
      max: 40,
      options: { prefix: 'bodyDecision', codes: ['settled', 'upheld', 'rejected', 'unresolved'] },
    },
    note(true),
  ],
  REFER_TO_LEGAL: [reason(false)],
  RECORD_LEGAL_OUTCOME: [
    {
      name: 'outcome',
      label: 'action.legalOutcome',
      kind: 'select',
      required: true,
      max: 40,
      options: {
        prefix: 'legalOutcome',
        codes: ['settled', 'judgment_for_complainant', 'judgment_for_respondent', 'discontinued'],
      },
    },
    note(true),
  ],
  TRIAGE_REJECT: [reason(true)],
  REOPEN: [reason(true)],
  CLOSE: [reason(true)],
};

export type Draft = Record<string, string>;

/** The request body's fields: trimmed, optional ones left out when empty. */
export function payloadOf(fields: FieldSpec[], draft: Draft): Record<string, string> {
  const payload: Record<string, string> = {};
  for (const field of fields) {
    const value = (draft[field.name] ?? '').trim();
    if (value) payload[field.name] = value;
  }
  return payload;
}
