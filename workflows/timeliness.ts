// Timeliness, as the CFPB's public complaint data reports it ("timely response: yes/no"): did the
// platform acknowledge and answer within its own deadlines, and how do the consumer body's
// clocks stand. Pure: the case's deadlines and timeline, the policy and a clock in, a verdict
// out; the case view, the compliance export and the dossier all call this one function.
import { z } from 'zod';
import { bodyClockDue, bodyClockDuration, bodyClocksFor } from './body-clocks.ts';
import type { BodyClock, BodyDuration, ClockAnchor } from './body-clocks.ts';
import { DeadlineStatus } from './deadlines.ts';
import type { Deadline } from './deadlines.ts';
import type { ClockFacts, DeadlineKind, WorkflowPolicy } from './policy.ts';
import type { Category } from './taxonomy.ts';

export const BODY_CLOCK_STATUSES = [
  'pending',
  'running',
  'paused',
  'met',
  'missed',
  'cancelled',
] as const;

export const ClockStanding = z
  .object({
    status: DeadlineStatus,
    dueAt: z.string().nullable().describe('Null while the clock is paused'),
    settledAt: z.string().nullable(),
  })
  .meta({ id: 'ClockStanding' });
export type ClockStanding = z.infer<typeof ClockStanding>;

export const BodyClockStanding = z
  .object({
    key: z.enum([
      'acceptance',
      'mediation',
      'companyResponse',
      'companyFinalResponse',
      'referralWindow',
      'refusalNotice',
      'outcome',
    ]),
    from: z
      .enum(['escalated', 'accepted', 'decided', 'finalResponse'])
      .describe('What starts the clock: escalation, acceptance by the body, the final response'),
    status: z.enum(BODY_CLOCK_STATUSES),
    startsAt: z.string().nullable(),
    dueAt: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    projected: z
      .boolean()
      .describe(
        'The clock has not started: startsAt/dueAt are what they would be if it started now (or when the clock before it runs out)',
      ),
    duration: z.object({
      amount: z.number(),
      unit: z.enum(['hours', 'calendarDays', 'businessDays', 'workingDays', 'months']),
    }),
    source: z.string(),
  })
  .meta({ id: 'BodyClockStanding' });
export type BodyClockStanding = z.infer<typeof BodyClockStanding>;

export const Timeliness = z
  .object({
    timely: z
      .boolean()
      .nullable()
      .describe(
        "The CFPB's 'timely response': true when the platform acknowledged and answered within its deadlines, false once one was missed, null while one still runs or none was due",
      ),
    acknowledged: ClockStanding.nullable(),
    answered: ClockStanding.nullable(),
    consumerBody: z.string().nullable(),
    bodyClocks: z.array(BodyClockStanding),
  })
  .meta({ id: 'Timeliness' });
export type Timeliness = z.infer<typeof Timeliness>;

export interface TimelinessInput extends ClockFacts {
  state: string;
  consumerBody: string | null;
  deadlines: readonly Deadline[];
  /** The case's timeline; without it (a list read) the clocks' own record stands in. */
  timeline?: readonly { type: string; at: string; data?: Record<string, unknown> }[];
}

const TERMINAL = new Set(['resolved', 'withdrawn', 'closed']);

/**
 * A clock settled after its due time was late, whatever the machine recorded: an answer sent
 * before the sweeper noticed the deadline had passed is settled "met" by the transition.
 */
function judged(deadline: Deadline): Deadline {
  const late =
    deadline.status === 'met' &&
    deadline.dueAt !== null &&
    deadline.settledAt !== undefined &&
    Date.parse(deadline.settledAt) > Date.parse(deadline.dueAt);
  return late ? { ...deadline, status: 'missed' } : deadline;
}

function standing(deadline: Deadline | undefined): ClockStanding | null {
  if (!deadline) return null;
  const { status, dueAt, settledAt } = judged(deadline);
  return { status, dueAt, settledAt: settledAt ?? null };
}

/** The CFPB's verdict: any platform clock missed is late; both answered in time is timely. */
function platformVerdict(input: TimelinessInput, terminal: boolean): boolean | null {
  const platform = input.deadlines
    .filter((d) => d.kind === 'acknowledge' || d.kind === 'finalResponse')
    .map(judged);
  if (platform.some((d) => d.status === 'missed')) return false;
  const ack = platform.findLast((d) => d.kind === 'acknowledge');
  const answer = platform.findLast((d) => d.kind === 'finalResponse');
  if (ack?.status !== 'met') return null;
  if (answer) return answer.status === 'met' ? true : null;
  // Acknowledged and ended without a review (rejected at triage): that decision was the answer.
  return terminal ? true : null;
}

type Anchors = Partial<Record<ClockAnchor, string>>;

/**
 * When each anchor last happened in the current cycle (after the last reopening). Read from the
 * timeline when there is one; a case read without it (lists leave it out) falls back on what
 * the machine's clocks recorded: acceptance starts at escalation and ends at acceptance,
 * mediation ends with the decision, the final response clock with the answer.
 */
function anchorsOf(input: TimelinessInput): { anchors: Anchors; since: string } {
  const { timeline, deadlines } = input;
  if (!timeline) {
    const last = (kind: DeadlineKind) => deadlines.findLast((d) => d.kind === kind);
    const acceptance = last('bodyAcceptance');
    const mediation = last('bodyMediation');
    const answer = last('finalResponse');
    const anchors: Anchors = {};
    if (acceptance) anchors.escalated = acceptance.startedAt;
    if (acceptance?.status === 'met') anchors.accepted = acceptance.settledAt;
    if (mediation) anchors.accepted ??= mediation.startedAt;
    if (mediation?.status === 'met' || mediation?.status === 'missed') {
      anchors.decided = mediation.settledAt;
    }
    if (answer?.status === 'met') anchors.finalResponse = answer.settledAt;
    return { anchors, since: '' };
  }
  const reopened = timeline.findLast((entry) => entry.type === 'REOPEN');
  const since = reopened?.at ?? '';
  const anchors: Anchors = {};
  for (const entry of timeline) {
    if (entry.at < since) continue;
    if (entry.type === 'ESCALATE') anchors.escalated = entry.at;
    if (entry.type === 'RECORD_SUBMISSION') anchors.accepted = entry.at;
    if (entry.type === 'RECORD_BODY_DECISION') anchors.decided = entry.at;
    // A mediation that ran out decides "unresolved" with no decision event.
    if (entry.type === 'DEADLINE_PASSED' && entry.data?.deadline === 'bodyMediation') {
      anchors.decided = entry.at;
    }
    if (entry.type === 'ISSUE_RESPONSE') anchors.finalResponse = entry.at;
  }
  return { anchors, since };
}

interface ClockScope {
  input: TimelinessInput;
  policy: WorkflowPolicy;
  nowIso: string;
  terminal: boolean;
  anchors: Anchors;
  since: string;
  /** Due dates of the clocks worked out so far, by the anchor that stops them. */
  dueByStop: Partial<Record<ClockAnchor, string>>;
}

function trackedDeadline(scope: ScopeLike, kind: DeadlineKind | undefined): Deadline | undefined {
  if (!kind) return undefined;
  return scope.input.deadlines.findLast((d) => d.kind === kind && d.startedAt >= scope.since);
}
type ScopeLike = Pick<ClockScope, 'input' | 'since'>;

function bodyClockStanding(clock: BodyClock, scope: ClockScope): BodyClockStanding | null {
  const { input, policy, nowIso, terminal, anchors } = scope;
  const duration: BodyDuration | null = bodyClockDuration(clock, input, policy);
  if (!duration) return null;
  const base = { key: clock.key, from: clock.from, duration, source: clock.source };
  const found = trackedDeadline(scope, clock.tracked);
  const tracked = found && judged(found);
  if (tracked) {
    if (tracked.dueAt) scope.dueByStop[clock.until] = tracked.dueAt;
    return {
      ...base,
      status: tracked.status,
      startsAt: tracked.startedAt,
      dueAt: tracked.dueAt,
      stoppedAt: tracked.settledAt ?? null,
      projected: false,
    };
  }
  const started = anchors[clock.from];
  const stopped = anchors[clock.until] ?? null;
  if (!started) {
    // Stopped without starting: FOS's window when the complaint went there before any answer.
    if (stopped)
      return {
        ...base,
        status: 'met',
        startsAt: null,
        dueAt: null,
        stoppedAt: stopped,
        projected: false,
      };
    if (terminal || clock.from === 'finalResponse' || clock.from === 'decided') {
      return {
        ...base,
        status: terminal ? 'cancelled' : 'pending',
        startsAt: null,
        dueAt: null,
        stoppedAt: null,
        projected: false,
      };
    }
    // Not started: it would start now, or when the clock before it runs out at the latest.
    const startsAt = scope.dueByStop[clock.from] ?? nowIso;
    const dueAt = bodyClockDue(startsAt, duration, input, policy);
    scope.dueByStop[clock.until] = dueAt;
    return { ...base, status: 'pending', startsAt, dueAt, stoppedAt: null, projected: true };
  }
  const dueAt = bodyClockDue(started, duration, input, policy);
  scope.dueByStop[clock.until] = dueAt;
  let status: BodyClockStanding['status'];
  if (stopped) status = stopped <= dueAt ? 'met' : 'missed';
  else if (nowIso > dueAt) status = 'missed';
  else status = terminal ? 'cancelled' : 'running';
  return { ...base, status, startsAt: started, dueAt, stoppedAt: stopped, projected: false };
}

/**
 * How the case stands against its clocks at `nowIso`: the platform's acknowledge and final
 * response clocks (the latest of each), its CFPB-style `timely` verdict, and each clock of the
 * consumer body the case goes (or went) to, with the due dates computed by the jurisdiction's
 * calendar. Times are ISO strings in UTC; the reader's surface formats them.
 */
export function timelinessOf(
  input: TimelinessInput,
  policy: WorkflowPolicy,
  nowIso: string,
): Timeliness {
  const terminal = TERMINAL.has(input.state.split('.')[0] ?? '');
  const { anchors, since } = anchorsOf(input);
  const scope: ClockScope = { input, policy, nowIso, terminal, anchors, since, dueByStop: {} };
  const bodyClocks: BodyClockStanding[] = [];
  for (const clock of bodyClocksFor(input.consumerBody)) {
    const one = bodyClockStanding(clock, scope);
    if (one) bodyClocks.push(one);
  }
  return {
    timely: platformVerdict(input, terminal),
    acknowledged: standing(input.deadlines.findLast((d) => d.kind === 'acknowledge')),
    answered: standing(input.deadlines.findLast((d) => d.kind === 'finalResponse')),
    consumerBody: input.consumerBody,
    bodyClocks,
  };
}

/** A stored case as the server reads it: its category is a stored string, not yet checked. */
export type StoredClocks = Omit<TimelinessInput, 'category'> & { category: string };

/** `timelinessOf` for a stored case (the case view, the export, the dossier). */
export function timelinessOfCase(
  record: StoredClocks,
  policy: WorkflowPolicy,
  nowIso: string,
): Timeliness {
  // An unknown stored category only loses the urgent first-response clock, as it does elsewhere.
  return timelinessOf({ ...record, category: record.category as Category }, policy, nowIso);
}
