import { addDuration } from './calendar.ts';
import type { ComplaintContext } from './context.ts';
import type { WorkflowEvent } from './events.ts';
import { consumerBodyFor, durationFor, legalThresholdFor } from './policy.ts';
import type { DeadlineKind, Money, WorkflowPolicy } from './policy.ts';
import { missingFacts } from './requirements.ts';

/**
 * A rule: why it refuses the event, or null when it allows it. The machine's guards and the
 * engine's refusal reasons are the same functions, so the two can never disagree.
 */
export type Check = (
  context: ComplaintContext,
  event: WorkflowEvent,
  policy: WorkflowPolicy,
) => string | null;

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/** TRIAGE_REJECT, CLOSE, ISSUE_HOLDING_RESPONSE, REOPEN: the record must say why. */
export const checkReasonGiven: Check = (_context, event) =>
  'reason' in event && hasText(event.reason) ? null : `${event.type} needs a reason`;

/** ISSUE_HOLDING_RESPONSE: only where an extended period exists, once, and before the clock ran out. */
export const checkHoldingResponse: Check = (context, event, policy) => {
  const jurisdiction = event.facts.jurisdiction;
  if (!durationFor(policy, event.facts, 'finalResponse', true)) {
    return `no extended final-response period applies in jurisdiction ${jurisdiction}`;
  }
  if (context.holdingResponse) {
    return 'a holding response was already issued; the final-response deadline is already extended';
  }
  if (context.finalResponseMissed) {
    return 'the final-response deadline has already passed; a holding response can no longer extend it';
  }
  return checkReasonGiven(context, event, policy);
};

/** ESCALATE: somebody must take complaints from this jurisdiction. */
export const checkConsumerBody: Check = (_context, event, policy) =>
  consumerBodyFor(policy, event.facts.jurisdiction, event.facts.respondent.kind) === null
    ? `no consumer body handles complaints in jurisdiction ${event.facts.jurisdiction}`
    : null;

/**
 * ESCALATE: bodies such as FOS, CFPB and 12315 take a complaint only once the firm had its
 * chance: the complainant rejected its response, or its final-response deadline passed.
 */
export const checkEscalationTiming: Check = (context) =>
  context.responseRejected || context.finalResponseMissed
    ? null
    : "the complainant can escalate only after rejecting the platform's response or once the platform's final-response deadline has passed";

/**
 * ESCALATE: the body will bounce a dossier that lacks any of the facts it requires (the
 * policy's `requires` per body and Redress's base rules, requirements.ts).
 */
export const checkDossierComplete: Check = (context, event, policy) => {
  const missing = missingFacts(policy, { facts: event.facts, context, at: event.at });
  return missing.length === 0
    ? null
    : `the escalation dossier is incomplete: missing ${missing.map((m) => m.label).join(', ')}`;
};

/** ESCALATE, all of the above in the order a complainant can act on them. */
export const checkEscalation: Check = (context, event, policy) =>
  checkConsumerBody(context, event, policy) ??
  checkEscalationTiming(context, event, policy) ??
  checkDossierComplete(context, event, policy);

/**
 * REFER_TO_LEGAL: legal costs more than the dispute below the jurisdiction's threshold, so a
 * smaller (or incomparable) amount needs the officer's written reason.
 */
export const checkLegalReferral: Check = (_context, event, policy) => {
  if (event.type === 'REFER_TO_LEGAL' && hasText(event.reason)) return null;
  const { jurisdiction } = event.facts;
  const amount = event.facts.transaction.amount;
  const threshold = legalThresholdFor(policy, jurisdiction);
  const askReason = 'give a reason to refer it to legal anyway';
  if (!threshold) return `no legal threshold is set for jurisdiction ${jurisdiction}; ${askReason}`;
  if (amount.currency !== threshold.currency) {
    return `the disputed amount is in ${amount.currency} but the legal threshold for ${jurisdiction} is in ${threshold.currency}; ${askReason}`;
  }
  if (amount.amountMinor < threshold.amountMinor) {
    return `the disputed amount (${formatMoney(amount)}) is below the legal threshold for ${jurisdiction} (${formatMoney(threshold)}); ${askReason}`;
  }
  return null;
};

/** REOPEN: with a reason, and only within the policy's window after the case ended. */
export const checkReopenWindow: Check = (context, event, policy) => {
  const noReason = checkReasonGiven(context, event, policy);
  if (noReason) return noReason;
  if (context.terminalAt === null) return 'the case has no recorded end, so it cannot be reopened';
  const closesAt = addDuration(context.terminalAt, {
    amount: policy.reopenWindowDays,
    unit: 'calendarDays',
  });
  return Date.parse(event.at) <= Date.parse(closesAt)
    ? null
    : `the ${policy.reopenWindowDays}-day reopen window closed at ${closesAt}`;
};

/** DEADLINE_PASSED: only for the clock this state runs; a late sweep of a settled clock is refused. */
export const checkDeadlineIs =
  (kind: DeadlineKind): Check =>
  (_context, event) =>
    event.type === 'DEADLINE_PASSED' && event.deadline === kind
      ? null
      : `the ${event.type === 'DEADLINE_PASSED' ? event.deadline : 'given'} deadline is not running in this state`;

/** RECORD_BODY_DECISION: routes a settlement to resolved; any other decision is not a refusal. */
export const checkSettledByBody: Check = (_context, event) =>
  event.type === 'RECORD_BODY_DECISION' && event.decision === 'settled'
    ? null
    : 'the body did not settle the complaint';

/** Every named guard of the machine and the rule behind it. */
export const GUARD_CHECKS = {
  actorAllowed: () => null,
  reasonGiven: checkReasonGiven,
  holdingResponseAllowed: checkHoldingResponse,
  escalationAllowed: checkEscalation,
  legalReferralAllowed: checkLegalReferral,
  reopenAllowed: checkReopenWindow,
  settledByBody: checkSettledByBody,
  acknowledgeDeadline: checkDeadlineIs('acknowledge'),
  finalResponseDeadline: checkDeadlineIs('finalResponse'),
  bodyAcceptanceDeadline: checkDeadlineIs('bodyAcceptance'),
  bodyMediationDeadline: checkDeadlineIs('bodyMediation'),
} satisfies Record<string, Check>;

export type GuardName = keyof typeof GUARD_CHECKS;

function formatMoney(money: Money): string {
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    // An unknown currency code still deserves a readable amount.
  }
  return `${money.currency} ${(money.amountMinor / 10 ** digits).toFixed(digits)}`;
}
