// The consumer bodies' own clocks: what each body promises (or demands) and by when, as the
// dossier prints them and the case's timeliness reports them. Kept apart from policy.ts, whose
// acceptance/mediation rows drive the machine: most of these are only read, never enforced, and
// where one is the machine's own clock (`tracked`), its length comes from the policy so the two
// cannot disagree. Sources:
// - 12315: 市场监督管理投诉举报处理暂行办法 (SAMR Order No. 20 of 2019, as amended by Orders
//   No. 55 and 61 of 2022) art. 14: accept or refuse within 7 working days of receiving the
//   complaint; art. 21(5): mediation ends when no agreement is reached within 45 working days
//   of acceptance.
// - CFPB: "Learn how the complaint process works" (consumerfinance.gov/complaint/process):
//   companies respond within 15 days of the CFPB sending the complaint; a company that answers
//   "in progress" gives its final response within 60 days.
// - FTC: takes reports for law enforcement and does not resolve individual complaints: no clock.
// - FOS: FCA Handbook DISP 2.8.2R: the Ombudsman cannot consider a complaint referred more than
//   six months after the date of the firm's final response (the response must say so, DISP
//   1.6.2R and DISP 1 Annex 3R).
// - ADR-xx: Directive 2013/11/EU art. 5(4): a body that will not deal with a dispute says so
//   within three weeks of receiving the complaint file; art. 8(e): the outcome within 90
//   calendar days of receiving the complete complaint file.
import { addDuration } from './calendar.ts';
import type { BodyClockKey } from './labels.ts';
import { calendarFor, durationFor } from './policy.ts';
import type { ClockFacts, DeadlineKind, DeadlineUnit, WorkflowPolicy } from './policy.ts';

/** What a body clock runs from and what stops it, read from the case's timeline. */
export type ClockAnchor = 'escalated' | 'accepted' | 'decided' | 'finalResponse';

/** A length of time as a body states it: the workflow's units, or calendar months (FOS). */
export type BodyDuration = { amount: number; unit: DeadlineUnit | 'months' };

export interface BodyClock {
  key: BodyClockKey;
  from: ClockAnchor;
  until: ClockAnchor;
  /** The machine's own clock for it: its due date and status are the case's, its length the policy's. */
  tracked?: DeadlineKind;
  /** For a clock the machine does not run. */
  duration?: BodyDuration;
  /** The rule, for the dossier's reader to check. */
  source: string;
}

const SAMR_20 = '市场监督管理投诉举报处理暂行办法（国家市场监督管理总局令第20号）';

export const BODY_CLOCKS: Readonly<Record<string, readonly BodyClock[]>> = Object.freeze({
  '12315': [
    {
      key: 'acceptance',
      from: 'escalated',
      until: 'accepted',
      tracked: 'bodyAcceptance',
      source: `${SAMR_20}第十四条`,
    },
    {
      key: 'mediation',
      from: 'accepted',
      until: 'decided',
      tracked: 'bodyMediation',
      source: `${SAMR_20}第二十一条第（五）项`,
    },
  ],
  CFPB: [
    {
      key: 'companyResponse',
      from: 'escalated',
      until: 'accepted',
      tracked: 'bodyAcceptance',
      source: 'CFPB, How the complaint process works: a response within 15 days',
    },
    {
      key: 'companyFinalResponse',
      from: 'escalated',
      until: 'decided',
      duration: { amount: 60, unit: 'calendarDays' },
      source: 'CFPB, How the complaint process works: a final response within 60 days',
    },
  ],
  FTC: [],
  FOS: [
    {
      key: 'referralWindow',
      from: 'finalResponse',
      until: 'escalated',
      duration: { amount: 6, unit: 'months' },
      source: 'FCA Handbook DISP 2.8.2R: within six months of the final response',
    },
  ],
  ADR: [
    {
      key: 'refusalNotice',
      from: 'escalated',
      until: 'accepted',
      tracked: 'bodyAcceptance',
      source: 'Directive 2013/11/EU art. 5(4): three weeks to say it will not deal with it',
    },
    {
      key: 'outcome',
      from: 'accepted',
      until: 'decided',
      tracked: 'bodyMediation',
      source: 'Directive 2013/11/EU art. 8(e): an outcome within 90 calendar days',
    },
  ],
});

/** The clocks of a body by its code (`ADR-DE` is an ADR body); none for an unknown body. */
export function bodyClocksFor(code: string | null): readonly BodyClock[] {
  if (!code) return [];
  const key = code.startsWith('ADR-') ? 'ADR' : code;
  return Object.hasOwn(BODY_CLOCKS, key) ? BODY_CLOCKS[key]! : [];
}

/** How long a body clock runs for a case: the policy's for a tracked clock, else its own. */
export function bodyClockDuration(
  clock: BodyClock,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): BodyDuration | null {
  if (clock.tracked) return durationFor(policy, facts, clock.tracked);
  return clock.duration ?? null;
}

/**
 * Calendar months in the jurisdiction's local time, ending on the same day of the month or the
 * month's last day when it is shorter (31 August + 6 months is 28 February), at the same time.
 */
function addMonths(startIso: string, months: number, offsetMinutes: number): string {
  const shift = offsetMinutes * 60_000;
  const local = new Date(Date.parse(startIso) + shift);
  const day = local.getUTCDate();
  const target = new Date(local);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return new Date(target.getTime() - shift).toISOString();
}

/** When a body clock started at `startIso` runs out, by the jurisdiction's calendar. */
export function bodyClockDue(
  startIso: string,
  duration: BodyDuration,
  facts: ClockFacts,
  policy: WorkflowPolicy,
): string {
  const calendar = calendarFor(policy, facts.jurisdiction);
  if (duration.unit === 'months') {
    return addMonths(startIso, duration.amount, calendar.utcOffsetMinutes);
  }
  return addDuration(startIso, { amount: duration.amount, unit: duration.unit }, calendar);
}
