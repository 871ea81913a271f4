import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { useSession } from '../../session';
import { EU_STATES } from '../complainant/filing/places';

export type CaseView = Schemas['Case'];
export type CaseSummary = Schemas['CasePage']['items'][number];
export type Deadline = CaseView['deadlines'][number];
export type Officer = { id: string; name: string; email: string };

// One list of each code in the web app: the filing wizard's (draft.ts, places.ts).
export { CATEGORIES, RESPONDENT_KINDS } from '../complainant/filing/draft';

/** The countries with their own policy row first, then a few common others, then the EU's. */
export const COUNTRIES: readonly string[] = [
  'CN',
  'US',
  'GB',
  'HK',
  'SG',
  'AU',
  'CA',
  'JP',
  ...EU_STATES,
];

export const CURRENCIES = ['CNY', 'USD', 'GBP', 'EUR', 'HKD', 'SGD', 'AUD', 'CAD', 'JPY'] as const;

/** The states an officer may filter by, parents first (a parent matches its substates). */
export const STATES = [
  'filed',
  'platformReview',
  'platformReview.investigating',
  'platformReview.awaitingComplainant',
  'platformReview.awaitingBank',
  'responseIssued',
  'escalated',
  'legalReferral',
  'resolved',
  'withdrawn',
  'closed',
] as const;

export function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Digits after the decimal point for a currency: JPY 0, most 2. */
export function fractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

export function fromMinor(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** fractionDigits(currency);
}

/** "1,299.5" → 129950 for CNY; null when it is not an amount with at most the allowed decimals. */
export function toMinor(text: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const clean = text.replace(/[\s,]/g, '');
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
  if (!pattern.test(clean)) return null;
  const [whole, fraction = ''] = clean.split('.');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** The next open clock: the earliest `dueAt` of a running deadline. */
export function nextDue(deadlines: readonly Deadline[]): string | null {
  let best: string | null = null;
  for (const deadline of deadlines) {
    if (deadline.status !== 'running' || !deadline.dueAt) continue;
    if (best === null || Date.parse(deadline.dueAt) < Date.parse(best)) best = deadline.dueAt;
  }
  return best;
}

export type Urgency = 'past' | 'near' | 'later';
const DAY = 86_400_000;

export function urgencyOf(dueAt: string, now = Date.now()): Urgency {
  const left = Date.parse(dueAt) - now;
  if (left < 0) return 'past';
  return left < DAY ? 'near' : 'later';
}

export const URGENCY_COLOUR: Record<Urgency, string> = {
  past: 'red.9',
  near: 'orange.9',
  later: 'dark',
};

/**
 * The officers, for names in the queue and the Assign form; seldom changes. Only staff may
 * list them: compliance reads a case without names rather than with a refused request.
 */
export function useOfficers() {
  const { user } = useSession();
  return useQuery({
    enabled: user?.role === 'officer' || user?.role === 'admin',
    queryKey: ['officers'],
    queryFn: async (): Promise<Officer[]> => (await unwrap(api.GET('/api/v1/officers'))).items,
    staleTime: 5 * 60_000,
  });
}

/** The workflow description (public, static for a deploy): states, events and each country's policy. */
export function useWorkflow() {
  return useQuery({
    queryKey: ['workflow'],
    queryFn: () => unwrap(api.GET('/api/v1/workflow')),
    staleTime: Infinity,
  });
}
