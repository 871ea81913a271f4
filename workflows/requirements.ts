import type { ComplaintContext } from './context.ts';
import type { CaseFacts } from './events.ts';
import { consumerBodyInfoFor, FACT_CODES } from './policy.ts';
import type { BodyRequirement, FactCode, WorkflowPolicy } from './policy.ts';
import { REQUIRED_FACT_LABELS, wordsOf } from './labels.ts';
import { CONTACT_PRESENT } from './contact-facts.ts';

export { CONTACT_FACT_CODES, contactFactsLacking } from './contact-facts.ts';

/** A fact the dossier lacks: its stable code and an English label for refusals and logs. */
export type MissingFact = { fact: FactCode; label: string };

/** Whether a case has what its consumer body requires; `body` null means nobody takes it. */
export type EscalationReadiness = {
  body: { code: string; name: string } | null;
  ready: boolean;
  missing: MissingFact[];
};

/** What the evaluator reads: the case's facts, the machine's memory and when it is asked. */
export type RequirementInput = {
  facts: CaseFacts;
  context: Pick<ComplaintContext, 'filedAt' | 'finalResponseMissed' | 'responseOutcome'>;
  at: string;
};

/**
 * What every body bounces a dossier without, whatever its own rules say: Redress's own rule
 * since the first escalation (these were the whole dossier check before per-body requirements).
 */
export const DOSSIER_BASE: readonly BodyRequirement[] = Object.freeze(
  (
    [
      'respondent.name',
      'transaction.date',
      'transaction.amount',
      'narrative',
      'desiredOutcome',
      'evidence',
    ] as const
  ).map((fact) => Object.freeze({ fact, source: 'Redress: a dossier a body can act on' })),
);

// The 422's labels are the shared table's English words inside a sentence ("missing
// complainant's phone number"): one wording for the refusal, the dossier and the web app.
export const FACT_LABELS: Readonly<Record<FactCode, string>> = Object.freeze(
  wordsOf(REQUIRED_FACT_LABELS, 'en', true),
);

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/** The same instant `months` calendar months later (UTC), clamped to the month's last day. */
export function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.toISOString();
}

const notAfter = (at: string, limit: string): boolean => Date.parse(at) <= Date.parse(limit);

/** Whether one fact is present (or, for a time limit, still met) for the case. */
const PRESENT: Readonly<Record<FactCode, (input: RequirementInput) => boolean>> = {
  'complainant.name': ({ facts }) => hasText(facts.complainant.name),
  'complainant.phone': ({ facts }) => CONTACT_PRESENT['complainant.phone'](facts.complainant),
  'complainant.postalAddress': ({ facts }) =>
    CONTACT_PRESENT['complainant.postalAddress'](facts.complainant),
  'complainant.regionAndPostalCode': ({ facts }) =>
    CONTACT_PRESENT['complainant.regionAndPostalCode'](facts.complainant),
  'respondent.name': ({ facts }) => hasText(facts.respondent.name),
  'respondent.addressOrRegistrationNumber': ({ facts }) =>
    hasText(facts.respondent.address) || hasText(facts.respondent.registrationNumber),
  category: ({ facts }) => hasText(facts.category),
  'transaction.date': ({ facts }) =>
    hasText(facts.transaction.occurredAt) &&
    !Number.isNaN(Date.parse(facts.transaction.occurredAt)),
  'transaction.amount': ({ facts }) => facts.transaction.amount.amountMinor > 0,
  narrative: ({ facts }) => hasText(facts.narrative),
  desiredOutcome: ({ facts }) => hasText(facts.desiredOutcome),
  evidence: ({ facts }) => facts.evidenceCount >= 1,
  // The case itself is the complaint to the trader; the body wants the trader to have answered
  // it, or to have let its deadline pass.
  priorComplaint: ({ context }) => context.responseOutcome !== null || context.finalResponseMissed,
  // The six months run from a final response only: a platform that never sent one set no limit.
  finalResponseWithinSixMonths: ({ facts, at }) =>
    facts.finalResponseAt === null || notAfter(at, addMonths(facts.finalResponseAt, 6)),
  withinOneYearOfComplaint: ({ context, at }) => notAfter(at, addMonths(context.filedAt, 12)),
};

/** The facts the body of a case requires, Redress's base rules first, once each, in code order. */
export function requiredFacts(
  policy: WorkflowPolicy,
  facts: Pick<CaseFacts, 'jurisdiction' | 'respondent'>,
): FactCode[] {
  const body = consumerBodyInfoFor(policy, facts.jurisdiction, facts.respondent.kind);
  if (!body) return [];
  const wanted = new Set([...DOSSIER_BASE, ...body.requires].map((r) => r.fact));
  return FACT_CODES.filter((code) => wanted.has(code));
}

/** What the case lacks for its body, as codes and labels; empty when nobody takes it. */
export function missingFacts(policy: WorkflowPolicy, input: RequirementInput): MissingFact[] {
  return requiredFacts(policy, input.facts)
    .filter((fact) => !PRESENT[fact](input))
    .map((fact) => ({ fact, label: FACT_LABELS[fact] }));
}

/** The body a case would go to and whether it has every fact that body requires. */
export function escalationReadiness(
  policy: WorkflowPolicy,
  input: RequirementInput,
): EscalationReadiness {
  const info = consumerBodyInfoFor(policy, input.facts.jurisdiction, input.facts.respondent.kind);
  if (!info) return { body: null, ready: false, missing: [] };
  const missing = missingFacts(policy, input);
  return { body: { code: info.code, name: info.name }, ready: missing.length === 0, missing };
}
