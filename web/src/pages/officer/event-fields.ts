import { ApiProblem } from '../../api/client';
import type { MessageKey } from '../../i18n';
import type { CaseView } from './shared';

/** One field of an officer's event form; `options` are codes shown through `${prefix}.${code}`. */
export interface FieldSpec {
  name: string;
  label: MessageKey;
  kind: 'text' | 'textarea' | 'select' | 'officer';
  required: boolean;
  max: number;
  options?: { prefix: string; codes: readonly string[] };
  /** Shown under the label, besides "Optional". */
  hint?: MessageKey;
  /** What to do when the server refuses the value (else its own words are shown). */
  invalid?: MessageKey;
}

// workflows/events.ts RESPONDENT_ADDRESS_MAX, REGISTRATION_NUMBER_MAX.
const ADDRESS_MAX = 500;
const NUMBER_MAX = 50;

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
  // Completes what a consumer body needs of the company (12315: its address or credit code).
  UPDATE_DETAILS: [
    {
      name: 'address',
      label: 'details.address',
      kind: 'textarea',
      required: false,
      max: ADDRESS_MAX,
      invalid: 'details.error.addressTooLong',
    },
    {
      name: 'registrationNumber',
      label: 'details.number',
      kind: 'text',
      required: false,
      max: NUMBER_MAX,
      hint: 'details.numberHintCN',
      invalid: 'details.error.number',
    },
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

type Respondent = CaseView['respondent'];

/**
 * The company details that differ from the case's: only those are sent, so the timeline entry
 * names what the officer changed rather than everything the form showed.
 */
function changedDetails(draft: Draft, current: Respondent): Record<string, string> {
  const given = payloadOf(OFFICER_EVENTS.UPDATE_DETAILS ?? [], draft);
  const now: Record<string, string | undefined> = {
    address: current.address,
    registrationNumber: current.registrationNumber,
  };
  return Object.fromEntries(Object.entries(given).filter(([name, value]) => now[name] !== value));
}

/** What the form opens with: the company details as the case has them, for UPDATE_DETAILS. */
export function initialDraft(type: string, item: CaseView): Draft {
  if (type !== 'UPDATE_DETAILS') return {};
  return {
    address: item.respondent.address ?? '',
    registrationNumber: item.respondent.registrationNumber ?? '',
  };
}

/** The event's payload (without `type`): UPDATE_DETAILS nests its fields under `respondent`. */
export function requestOf(type: string, draft: Draft, item: CaseView): Record<string, unknown> {
  if (type === 'UPDATE_DETAILS') return { respondent: changedDetails(draft, item.respondent) };
  return payloadOf(OFFICER_EVENTS[type] ?? [], draft);
}

/** Rules beyond "required" that the server enforces too: UPDATE_DETAILS must change something. */
export function ruleErrors(
  type: string,
  draft: Draft,
  item: CaseView,
): { name: string; message: MessageKey }[] {
  if (type !== 'UPDATE_DETAILS') return [];
  if (Object.keys(changedDetails(draft, item.respondent)).length > 0) return [];
  const blank = !(draft.address ?? '').trim() && !(draft.registrationNumber ?? '').trim();
  return [{ name: 'address', message: blank ? 'details.error.none' : 'details.error.unchanged' }];
}

/**
 * A 400's fields as this form names them: the server says `body.respondent.registrationNumber`
 * or `body.reason`; the form's field is the last part. Fields the form does not have are left out.
 */
export function refusedFields(
  error: unknown,
  fields: FieldSpec[],
): { field: FieldSpec; detail: string }[] {
  if (!(error instanceof ApiProblem) || error.status !== 400) return [];
  const issues = (error.body as { errors?: { path: string; message: string }[] }).errors ?? [];
  return issues.flatMap((issue) => {
    const name = issue.path.split('.').at(-1);
    const field = fields.find((spec) => spec.name === name);
    return field ? [{ field, detail: issue.message }] : [];
  });
}
