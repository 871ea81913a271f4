import { placementOf, type PagePlacement } from './pages.ts';

/**
 * Fields stored on every case only so that the views users wait on are top-level equality
 * (what FerretDB hands to PostgreSQL, see server/db/pushdown.ts): written with each change,
 * never read as facts.
 */
export interface ListingFields extends PagePlacement {
  /** The top-level state (`escalated` for `escalated.submitted`): parent-state filters. */
  phase: string;
  /** Not resolved, withdrawn or closed. */
  open: boolean;
  /** `assigneeId: null` is not pushed down; this is. */
  assigned: boolean;
}

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['resolved', 'closed', 'withdrawn']);

export function isTerminal(state: string): boolean {
  return TERMINAL_STATES.has(state.split('.')[0]!);
}

/**
 * The one rule for a state filter: a parent state matches its substates (`escalated` finds
 * `escalated.submitted`), as equality on `phase`; a dotted state is equality on `state`.
 */
export function stateFilter(state: string): { state: string } | { phase: string } {
  return state.includes('.') ? { state } : { phase: state };
}

/** The fields that follow from the state and the assignee (everything a change can move). */
export function stateFields(
  state: string,
  assigneeId: unknown,
): Omit<ListingFields, keyof PagePlacement> {
  return {
    phase: state.split('.')[0]!,
    open: !isTerminal(state),
    assigned: assigneeId !== null && assigneeId !== undefined,
  };
}

export function listingFields(record: {
  state: string;
  assigneeId: unknown;
  reference: string;
}): ListingFields {
  return { ...stateFields(record.state, record.assigneeId), ...placementOf(record.reference) };
}

/**
 * The officer queues: each is a set of equality filters on listing fields, so a queue reads
 * like any other filter. `mine` needs the asking officer's id.
 */
export const QUEUES = [
  'triage',
  'mine',
  'unassigned',
  'overdue',
  'urgent',
  'awaiting_complainant',
  'awaiting_bank',
  'escalated',
] as const;
export type Queue = (typeof QUEUES)[number];

export function queueFilter(queue: Queue, officerId: string): Record<string, unknown> {
  switch (queue) {
    case 'triage':
      return { state: 'filed' };
    case 'mine':
      return { assigneeId: officerId, open: true };
    case 'unassigned':
      return { assigned: false, open: true };
    case 'overdue':
      return { overdue: true };
    case 'urgent':
      return { urgent: true, open: true };
    case 'awaiting_complainant':
      return { state: 'platformReview.awaitingComplainant' };
    case 'awaiting_bank':
      return { state: 'platformReview.awaitingBank' };
    case 'escalated':
      return { phase: 'escalated' };
  }
}

// Han, Hiragana, Katakana and Hangul: written without spaces, indexed as overlapping pairs.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const RUN = /[\p{L}\p{N}]+/gu;

/**
 * Search terms of a text: lower-cased words of two characters or more, numbers, and CJK
 * character pairs (a one-character run is kept alone), so that `q` is answered by equality on
 * one term instead of a regular expression over every narrative.
 */
export function searchTerms(...texts: readonly (string | undefined)[]): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
      let latin = '';
      const flush = () => {
        // A lone digit is kept: it tells TX-1 from TX-10 in a reference.
        if (latin.length >= 2 || /^\p{N}$/u.test(latin)) terms.add(latin);
        latin = '';
      };
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        const char = chars[i]!;
        if (!CJK.test(char)) {
          latin += char;
          continue;
        }
        flush();
        const next = chars[i + 1];
        if (next && CJK.test(next)) terms.add(char + next);
        else if (!(i > 0 && CJK.test(chars[i - 1]!))) terms.add(char);
      }
      flush();
    }
  }
  return [...terms];
}

/**
 * What `q` must look like to be tried as a transaction reference first: one token of six
 * characters or more with a digit in it (a payment's reference, not a word of a narrative).
 */
const TRANSACTION_LIKE = /^(?=\S*\d)\S{6,120}$/;

/** The stored form of a transaction reference, and of a `q` that may be one; null otherwise. */
export function transactionKeyOf(reference: string | undefined | null): string | null {
  const key = reference?.trim().toLowerCase() ?? '';
  return TRANSACTION_LIKE.test(key) ? key : null;
}

/** The terms a case is found by: reference, transaction reference, respondent, narrative. */
export function caseSearchTerms(record: {
  reference: string;
  transaction: { reference?: string };
  respondent: { name: string };
  narrative: string;
}): string[] {
  const whole = [record.reference, record.transaction.reference]
    .filter((v): v is string => Boolean(v))
    .map((v) => v.toLowerCase());
  return [
    ...new Set([
      ...whole,
      ...searchTerms(
        record.reference,
        record.transaction.reference,
        record.respondent.name,
        record.narrative,
      ),
    ]),
  ];
}

/** Hour buckets of due dates: the sweeps read "due in this hour" by equality, never by range. */
export const NO_DUE_HOUR = 'none';

export function dueHourOf(at: Date | null | undefined): string {
  return at ? at.toISOString().slice(0, 13) : NO_DUE_HOUR;
}

/**
 * The UTC day of the next running deadline ('none' without one): lists in "time left" order
 * walk the days that hold cases (counted per day, queue-counts.ts) by equality.
 */
export function dueDayOf(at: Date | null | undefined): string {
  return at ? at.toISOString().slice(0, 10) : NO_DUE_HOUR;
}

/** Every hour bucket from `from` to `to`, both included, oldest first (at most `max`). */
export function hourBuckets(from: Date, to: Date, max = 24 * 400): string[] {
  const hours: string[] = [];
  const start = Math.floor(from.getTime() / 3_600_000);
  const end = Math.floor(to.getTime() / 3_600_000);
  for (let h = start; h <= end && hours.length < max; h++) {
    hours.push(new Date(h * 3_600_000).toISOString().slice(0, 13));
  }
  return hours;
}
