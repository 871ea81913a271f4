import { z } from 'zod';
import type { WorkflowAction } from './actions.ts';
import { addDuration, remainingDuration } from './calendar.ts';
import { calendarFor, DeadlineKind, Duration, durationFor } from './policy.ts';
import type { ClockFacts, DeadlineUnit, WorkflowPolicy } from './policy.ts';

export const DEADLINE_STATUSES = ['running', 'paused', 'met', 'missed', 'cancelled'] as const;
export const DeadlineStatus = z.enum(DEADLINE_STATUSES);
export type DeadlineStatus = z.infer<typeof DeadlineStatus>;

/**
 * One clock on a case, as the server stores it in `deadlines[]`. `dueAt` is null while paused
 * (the sweeper must not find it), `remaining` is set only while paused, `extended` once a holding
 * response moved a final-response clock to the extended period, `settledAt` once it stopped.
 */
export const Deadline = z.strictObject({
  kind: DeadlineKind,
  startedAt: z.string(),
  dueAt: z.string().nullable(),
  status: DeadlineStatus,
  remaining: Duration.optional(),
  extended: z.boolean().optional(),
  settledAt: z.string().optional(),
});
export type Deadline = z.infer<typeof Deadline>;

const isOpen = (deadline: Deadline): boolean =>
  deadline.status === 'running' || deadline.status === 'paused';

function clockUnit(deadline: Deadline, facts: ClockFacts, policy: WorkflowPolicy): DeadlineUnit {
  return (
    durationFor(policy, facts, deadline.kind, deadline.extended ?? false)?.unit ?? 'calendarDays'
  );
}

/**
 * A new running deadline of `kind` for a case, due by the jurisdiction's clock.
 * Throws when the jurisdiction has no such clock: the machine only asks for deadlines its guards
 * made sure exist, so this is a bug, not a refusal.
 */
export function startDeadline(
  kind: DeadlineKind,
  nowIso: string,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): Deadline {
  const duration = durationFor(policy, facts, kind);
  if (!duration) {
    throw new RangeError(`no ${kind} deadline applies in jurisdiction ${facts.jurisdiction}`);
  }
  return {
    kind,
    startedAt: nowIso,
    dueAt: addDuration(nowIso, duration, calendarFor(policy, facts.jurisdiction)),
    status: 'running',
  };
}

/** Stops every running clock, remembering how much of it was left (the case waits on the complainant). */
export function pauseDeadlines(
  deadlines: readonly Deadline[],
  nowIso: string,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): Deadline[] {
  const calendar = calendarFor(policy, facts.jurisdiction);
  return deadlines.map((deadline) => {
    if (deadline.status !== 'running' || deadline.dueAt === null) return deadline;
    const unit = clockUnit(deadline, facts, policy);
    return {
      ...deadline,
      status: 'paused',
      dueAt: null,
      remaining: remainingDuration(nowIso, deadline.dueAt, unit, calendar),
    };
  });
}

/** Restarts every paused clock with the time it had left when it was paused. */
export function resumeDeadlines(
  deadlines: readonly Deadline[],
  nowIso: string,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): Deadline[] {
  const calendar = calendarFor(policy, facts.jurisdiction);
  return deadlines.map((deadline) => {
    if (deadline.status !== 'paused' || !deadline.remaining) return deadline;
    const { remaining, ...rest } = deadline;
    return { ...rest, status: 'running', dueAt: addDuration(nowIso, remaining, calendar) };
  });
}

/**
 * Moves the open final-response clock to the extended period (a holding response), measured from
 * the clock's original start: the new due time is the original start plus the extended period,
 * plus whatever time pauses had already added. A paused clock stays paused with more time left.
 * Unchanged when the jurisdiction has no extended period or the clock is already extended.
 */
export function extendDeadline(
  deadlines: readonly Deadline[],
  kind: 'finalResponse',
  nowIso: string,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): Deadline[] {
  const original = durationFor(policy, facts, kind, false);
  const extended = durationFor(policy, facts, kind, true);
  const index = deadlines.findLastIndex((d) => d.kind === kind && isOpen(d) && !d.extended);
  const target = deadlines[index];
  if (!original || !extended || !target) return [...deadlines];

  const calendar = calendarFor(policy, facts.jurisdiction);
  const at = (iso: string): number => Date.parse(iso);
  const gained =
    at(addDuration(target.startedAt, extended, calendar)) -
    at(addDuration(target.startedAt, original, calendar));

  let next: Deadline;
  if (target.status === 'running' && target.dueAt !== null) {
    next = { ...target, extended: true, dueAt: new Date(at(target.dueAt) + gained).toISOString() };
  } else if (target.remaining) {
    const wouldBeDue = at(addDuration(nowIso, target.remaining, calendar)) + gained;
    next = {
      ...target,
      extended: true,
      remaining: remainingDuration(
        nowIso,
        new Date(wouldBeDue).toISOString(),
        extended.unit,
        calendar,
      ),
    };
  } else {
    return [...deadlines];
  }
  return deadlines.map((deadline, i) => (i === index ? next : deadline));
}

/** Stops the open clocks of the given kinds with an outcome: met, missed or cancelled. */
export function settleDeadlines(
  deadlines: readonly Deadline[],
  kinds: readonly string[],
  status: 'met' | 'missed' | 'cancelled',
  nowIso: string,
): Deadline[] {
  return deadlines.map((deadline) => {
    if (!isOpen(deadline) || !kinds.includes(deadline.kind)) return deadline;
    const { remaining: _remaining, ...rest } = deadline;
    return { ...rest, status, settledAt: nowIso };
  });
}

/** Running clocks that have run out at `nowIso`: what the sweeper turns into DEADLINE_PASSED. */
export function dueDeadlines(deadlines: readonly Deadline[], nowIso: string): Deadline[] {
  const now = Date.parse(nowIso);
  return deadlines.filter(
    (d) => d.status === 'running' && d.dueAt !== null && Date.parse(d.dueAt) <= now,
  );
}

/**
 * Applies the deadline actions of one transition, in order, to a case's deadlines; other actions
 * (notify) are ignored. A new clock of a kind supersedes an open one of the same kind.
 */
export function applyDeadlineActions(
  deadlines: readonly Deadline[],
  actions: readonly WorkflowAction[],
  nowIso: string,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): Deadline[] {
  let current = [...deadlines];
  for (const action of actions) {
    switch (action.type) {
      case 'startDeadline':
        current = settleDeadlines(current, [action.params.kind], 'cancelled', nowIso);
        current.push(startDeadline(action.params.kind, nowIso, facts, policy));
        break;
      case 'pauseDeadlines':
        current = pauseDeadlines(current, nowIso, facts, policy);
        break;
      case 'resumeDeadlines':
        current = resumeDeadlines(current, nowIso, facts, policy);
        break;
      case 'extendDeadline':
        current = extendDeadline(current, action.params.kind, nowIso, facts, policy);
        break;
      case 'settleDeadlines':
        current = settleDeadlines(current, action.params.kinds, action.params.status, nowIso);
        break;
      case 'notify':
        break;
    }
  }
  return current;
}
