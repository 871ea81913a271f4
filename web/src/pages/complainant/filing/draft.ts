import type { Schemas } from '../../../api/client';
import { parseAmount } from '../../../components/case/money';

export type Category = Schemas['FileComplaint']['category'];
export type RespondentKind = Schemas['FileComplaint']['respondent']['kind'];

export const CATEGORIES: readonly Category[] = [
  'payment_failed',
  'unauthorized_transaction',
  'refund_not_received',
  'refund_amount_mismatch',
  'incorrect_charge',
  'balance_discrepancy',
  'account_access',
  'account_compromised',
  'merchant_refused_payment',
  'poor_service',
  'other',
];
export const URGENT: readonly Category[] = ['unauthorized_transaction', 'account_compromised'];
export const RESPONDENT_KINDS: readonly RespondentKind[] = ['platform', 'merchant', 'bank'];

export const NARRATIVE_MAX = 10_000;
export const OUTCOME_MAX = 2_000;
export const NAME_MAX = 200;
export const REFERENCE_MAX = 120;
// workflows/events.ts RESPONDENT_ADDRESS_MAX, REGISTRATION_NUMBER_MAX.
export const COMPANY_ADDRESS_MAX = 500;
export const REGISTRATION_MAX = 50;

/** Everything typed so far, as typed: strings, so nothing is lost to a half-valid value. */
export interface Draft {
  category: string;
  companyName: string;
  companyKind: string;
  country: string;
  /** Asked where the body needs it (12315): the company's address or registration number. */
  companyAddress: string;
  companyRegistration: string;
  date: string;
  amount: string;
  currency: string;
  /** The person chose the currency; a change of country no longer replaces it. */
  currencyChosen: boolean;
  reference: string;
  narrative: string;
  desiredOutcome: string;
}

export const EMPTY_DRAFT: Draft = {
  category: '',
  companyName: '',
  companyKind: '',
  country: '',
  companyAddress: '',
  companyRegistration: '',
  date: '',
  amount: '',
  currency: '',
  currencyChosen: false,
  reference: '',
  narrative: '',
  desiredOutcome: '',
};

const storageKey = (userId: string) => `redress.fileDraft.${userId}`;

export function loadDraft(userId: string): Draft {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey(userId)) ?? 'null') as unknown;
    if (stored && typeof stored === 'object') {
      const merged = { ...EMPTY_DRAFT };
      for (const key of Object.keys(EMPTY_DRAFT) as (keyof Draft)[]) {
        const value = (stored as Record<string, unknown>)[key];
        if (typeof value === typeof EMPTY_DRAFT[key])
          (merged as Record<string, unknown>)[key] = value;
      }
      return merged;
    }
  } catch {
    // A draft that cannot be read is no draft; the form starts empty.
  }
  return { ...EMPTY_DRAFT };
}

export function saveDraft(userId: string, draft: Draft): void {
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(draft));
  } catch {
    // Storage full or refused (private mode): the draft then lives as long as the page.
  }
}

export function clearDraft(userId: string): void {
  try {
    localStorage.removeItem(storageKey(userId));
  } catch {
    // Nothing stored, nothing to clear.
  }
}

/** Today in the browser's own time zone, as the date input writes it. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * A date input's day as an instant with the browser's offset: midday that day, or for today
 * the present minute, so a complaint about this morning is never "in the future".
 */
export function occurredAt(date: string, now = new Date()): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = date === today(now) ? now : new Date(y, m - 1, d, 12, 0, 0);
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date}T${pad(at.getHours())}:${pad(at.getMinutes())}:00` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

export type FieldId =
  | 'category'
  | 'companyName'
  | 'companyKind'
  | 'country'
  | 'companyAddress'
  | 'companyRegistration'
  | 'date'
  | 'amount'
  | 'currency'
  | 'reference'
  | 'narrative'
  | 'desiredOutcome';

export type Problem = 'required' | 'tooLong' | 'future' | 'badDate' | 'badAmount';

export interface DraftIssue {
  field: FieldId;
  problem: Problem;
}

/** What is wrong with these fields of the draft; the step pages ask about their own fields. */
export function checkDraft(draft: Draft, fields: readonly FieldId[]): DraftIssue[] {
  const issues: DraftIssue[] = [];
  const add = (field: FieldId, problem: Problem) => {
    if (fields.includes(field)) issues.push({ field, problem });
  };
  if (!CATEGORIES.includes(draft.category as Category)) add('category', 'required');
  if (!draft.companyName.trim()) add('companyName', 'required');
  else if (draft.companyName.trim().length > NAME_MAX) add('companyName', 'tooLong');
  if (!RESPONDENT_KINDS.includes(draft.companyKind as RespondentKind))
    add('companyKind', 'required');
  if (!/^[A-Z]{2}$/.test(draft.country)) add('country', 'required');
  if (draft.companyAddress.trim().length > COMPANY_ADDRESS_MAX) add('companyAddress', 'tooLong');
  if (draft.companyRegistration.trim().length > REGISTRATION_MAX)
    add('companyRegistration', 'tooLong');
  if (!draft.date) add('date', 'required');
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date) || Number.isNaN(Date.parse(draft.date)))
    add('date', 'badDate');
  else if (draft.date > today()) add('date', 'future');
  if (!/^[A-Z]{3}$/.test(draft.currency)) add('currency', 'required');
  if (!draft.amount.trim()) add('amount', 'required');
  else if (parseAmount(draft.amount, draft.currency || 'CNY') === null) add('amount', 'badAmount');
  if (draft.reference.trim().length > REFERENCE_MAX) add('reference', 'tooLong');
  if (!draft.narrative.trim()) add('narrative', 'required');
  else if (draft.narrative.trim().length > NARRATIVE_MAX) add('narrative', 'tooLong');
  if (!draft.desiredOutcome.trim()) add('desiredOutcome', 'required');
  else if (draft.desiredOutcome.trim().length > OUTCOME_MAX) add('desiredOutcome', 'tooLong');
  return issues;
}

/** The POST /cases body; call only once checkDraft found nothing. */
export function toRequest(draft: Draft, locale: 'en' | 'zh-CN'): Schemas['FileComplaint'] {
  const reference = draft.reference.trim();
  const address = draft.companyAddress.trim();
  const registrationNumber = draft.companyRegistration.trim();
  return {
    category: draft.category as Category,
    jurisdiction: draft.country,
    locale,
    respondent: {
      name: draft.companyName.trim(),
      kind: draft.companyKind as RespondentKind,
      ...(address ? { address } : {}),
      ...(registrationNumber ? { registrationNumber } : {}),
    },
    transaction: {
      occurredAt: occurredAt(draft.date),
      ...(reference ? { reference } : {}),
      amount: {
        amountMinor: parseAmount(draft.amount, draft.currency)!,
        currency: draft.currency,
      },
    },
    narrative: draft.narrative.trim(),
    desiredOutcome: draft.desiredOutcome.trim(),
    channel: 'web',
  };
}
