import { z } from 'zod';
import { isEuState, isUrgent } from './taxonomy.ts';
import type { Category, RespondentKind } from './taxonomy.ts';

export const DEADLINE_KINDS = [
  'acknowledge',
  'finalResponse',
  'bodyAcceptance',
  'bodyMediation',
] as const;
export const DeadlineKind = z.enum(DEADLINE_KINDS);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

export const DEADLINE_UNITS = ['hours', 'calendarDays', 'businessDays', 'workingDays'] as const;
export const DeadlineUnit = z.enum(DEADLINE_UNITS);
export type DeadlineUnit = z.infer<typeof DeadlineUnit>;

// Fractional amounts appear only as the time left on a paused clock (see calendar.ts).
export const Duration = z
  .strictObject({
    amount: z.number().finite().nonnegative(),
    unit: DeadlineUnit,
  })
  .meta({ id: 'Duration' });
export type Duration = z.infer<typeof Duration>;

export const Money = z.strictObject({
  amountMinor: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof Money>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const BusinessCalendar = z.strictObject({
  holidays: z.array(IsoDate),
  makeUpWorkingDays: z.array(IsoDate),
  // Fixed offset, no daylight saving: exact for China, within an hour elsewhere, which is
  // well inside the granularity of a day-based deadline.
  utcOffsetMinutes: z.number().int().min(-840).max(840),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;

/**
 * The facts a consumer body may require before it takes a complaint, as stable codes (they
 * appear in API responses and refusals: never rename one, only add). What each means and how
 * it is judged is in requirements.ts.
 */
export const FACT_CODES = [
  'complainant.name',
  'complainant.phone',
  'complainant.postalAddress',
  'complainant.regionAndPostalCode',
  'respondent.name',
  'respondent.addressOrRegistrationNumber',
  'category',
  'transaction.date',
  'transaction.amount',
  'narrative',
  'desiredOutcome',
  'evidence',
  'priorComplaint',
  'finalResponseWithinSixMonths',
  'withinOneYearOfComplaint',
] as const;
export const FactCode = z.enum(FACT_CODES);
export type FactCode = z.infer<typeof FactCode>;

/** One fact a body requires, and the rule or form that makes it required. */
export const BodyRequirement = z.strictObject({ fact: FactCode, source: z.string().min(1) });
export type BodyRequirement = z.infer<typeof BodyRequirement>;

const BodyRef = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  // A body chosen by respondent kind has its own intake rules (the CFPB is not the FTC).
  requires: z.array(BodyRequirement).optional(),
});

export const ConsumerBodyPolicy = z.strictObject({
  // `{country}` is replaced by the case's jurisdiction, so one EU row names every national ADR body.
  code: z.string().min(1),
  name: z.string().min(1),
  byRespondentKind: z
    .strictObject({
      platform: BodyRef.optional(),
      merchant: BodyRef.optional(),
      bank: BodyRef.optional(),
    })
    .optional(),
  // A body with no clocks cannot be tracked, so the clocks live on the body itself.
  acceptance: Duration,
  mediation: Duration,
  // What the body needs before it accepts a complaint, on top of Redress's own dossier rules
  // (requirements.ts, DOSSIER_BASE); the escalation guard refuses a case that lacks any.
  requires: z.array(BodyRequirement),
});
export type ConsumerBodyPolicy = z.infer<typeof ConsumerBodyPolicy>;

export const JurisdictionPolicy = z
  .strictObject({
    name: z.string().min(1),
    deadlines: z.strictObject({
      acknowledge: Duration,
      acknowledgeUrgent: Duration.nullable(),
      finalResponse: Duration,
      extendedFinalResponse: Duration.nullable(),
    }),
    consumerBody: ConsumerBodyPolicy.nullable(),
    legalThreshold: Money.nullable(),
    // Added to the policy-wide lists: a Chinese holiday must not stop a British clock.
    holidays: z.array(IsoDate),
    makeUpWorkingDays: z.array(IsoDate),
    utcOffsetMinutes: z.number().int().min(-840).max(840),
    sources: z.array(z.string()),
  })
  .meta({ id: 'JurisdictionPolicy' });
export type JurisdictionPolicy = z.infer<typeof JurisdictionPolicy>;

export const POLICY_KEYS = ['CN', 'US', 'GB', 'EU', 'default'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const WorkflowPolicy = z.strictObject({
  // Any other alpha-2 key is allowed too and wins over the EU and default rows.
  jurisdictions: z
    .object({
      CN: JurisdictionPolicy,
      US: JurisdictionPolicy,
      GB: JurisdictionPolicy,
      EU: JurisdictionPolicy,
      default: JurisdictionPolicy,
    })
    .catchall(JurisdictionPolicy),
  reopenWindowDays: z.number().int().positive(),
  holidays: z.array(IsoDate),
  makeUpWorkingDays: z.array(IsoDate),
});
export type WorkflowPolicy = z.infer<typeof WorkflowPolicy>;

const days = (amount: number, unit: DeadlineUnit): Duration => ({ amount, unit });

const needs = (source: string, ...facts: FactCode[]): BodyRequirement[] =>
  facts.map((fact) => ({ fact, source }));

// SAMR Order No. 20, 《市场监督管理投诉举报处理暂行办法》 (2019): art. 9 (投诉应当提供: the complainant's
// name, phone number and postal address; the respondent's name and address; the concrete request
// and the facts of the dispute), art. 15 (a complaint lacking the art. 9 materials is not
// accepted). The unified social credit code is accepted instead of the address because it
// identifies the registered business the 12315 platform routes the complaint to (our reading of
// the platform's form, not the Order's text).
const SAMR_ART_9 = '市场监督管理投诉举报处理暂行办法 (SAMR Order No. 20) art. 9, art. 15';
// CFPB consumer complaint form (consumerfinance.gov/complaint) and the Consumer Complaint Database
// fields: product and issue (our category), company, the consumer's state and ZIP code, what
// happened and the resolution the consumer wants.
const CFPB_FORM = 'CFPB complaint form: product and issue, company, state and ZIP, fair resolution';
// ReportFraud.ftc.gov: the company and what happened; contact details are optional, and the FTC
// does not resolve individual complaints.
const FTC_FORM = 'ReportFraud.ftc.gov: the company and what happened';
// FCA DISP 2.8.1R (the firm sent its final response, or its deadline passed) and DISP 2.8.2R(1)
// (referred within six months of the date of the final response).
const FOS_DISP = 'FCA DISP 2.8.1R and 2.8.2R(1): final response first, then six months';
// ADR Directive 2013/11/EU art. 5(4)(a) (the consumer first tried to resolve it with the trader)
// and art. 5(4)(e) (a time limit of at least one year from the complaint to the trader: we keep
// to that floor, the strictest a member state may set).
const ADR_ART_5 = 'ADR Directive 2013/11/EU art. 5(4)(a) and 5(4)(e)';

const CFPB = needs(
  CFPB_FORM,
  'category',
  'respondent.name',
  'complainant.regionAndPostalCode',
  'narrative',
  'desiredOutcome',
);

// Disputed amounts at or above these (minor units, same currency) may go to legal without a
// written reason: 5,000.00 in each currency, a team default rather than a legal rule.
const LEGAL_THRESHOLD_MINOR = 500_000;

/**
 * The deadlines, consumer bodies and legal thresholds Redress ships with. Sources:
 * - CN: SAMR 《市场监督管理投诉举报处理暂行办法》 (2019, 总局令第20号) art. 14 (accept or refuse a
 *   complaint within 7 working days) and art. 21 (mediation ends if no agreement within 45 working
 *   days of acceptance). The 1 working day / 15 working days platform clocks and the 60 calendar day
 *   extension are our service levels, not statute. Holidays: 国务院办公厅关于2026年部分节假日安排的通知
 *   (4 Nov 2025).
 * - US: CFPB company portal: a substantive response within 15 calendar days, or "in progress" and a
 *   final response within 60 calendar days. The same 15/60 are used for the body stage, since the
 *   CFPB forwards the complaint to the company and applies the same clock. Merchants go to the FTC,
 *   which does not mediate; we keep the same clocks so the case still moves.
 * - GB: FCA DISP 1.6.2A R (payment services): final response within 15 business days, or a holding
 *   reply and a final response within 35 business days. FOS acceptance 10 business days and
 *   outcome 90 calendar days are our working assumptions, not FOS commitments.
 * - EU: PSD2 (Directive (EU) 2015/2366) art. 101(2): 15 business days, exceptionally 35 with a
 *   holding reply. ADR Directive 2013/11/EU art. 5(4) (a body refusing a complaint says so within
 *   three weeks) and art. 8(e) (outcome within 90 calendar days of the complete file).
 */
export const DEFAULT_POLICY: WorkflowPolicy = deepFreeze({
  jurisdictions: {
    CN: {
      name: 'China (mainland)',
      deadlines: {
        acknowledge: days(1, 'workingDays'),
        acknowledgeUrgent: days(24, 'hours'),
        finalResponse: days(15, 'workingDays'),
        extendedFinalResponse: days(60, 'calendarDays'),
      },
      consumerBody: {
        code: '12315',
        name: '全国12315平台 (SAMR)',
        acceptance: days(7, 'workingDays'),
        mediation: days(45, 'workingDays'),
        requires: needs(
          SAMR_ART_9,
          'complainant.name',
          'complainant.phone',
          'complainant.postalAddress',
          'respondent.name',
          'respondent.addressOrRegistrationNumber',
          'narrative',
          'desiredOutcome',
        ),
      },
      legalThreshold: { amountMinor: LEGAL_THRESHOLD_MINOR, currency: 'CNY' },
      holidays: [
        '2026-01-01',
        '2026-01-02',
        '2026-01-03',
        '2026-02-15',
        '2026-02-16',
        '2026-02-17',
        '2026-02-18',
        '2026-02-19',
        '2026-02-20',
        '2026-02-21',
        '2026-02-22',
        '2026-02-23',
        '2026-04-04',
        '2026-04-05',
        '2026-04-06',
        '2026-05-01',
        '2026-05-02',
        '2026-05-03',
        '2026-05-04',
        '2026-05-05',
        '2026-06-19',
        '2026-06-20',
        '2026-06-21',
        '2026-09-25',
        '2026-09-26',
        '2026-09-27',
        '2026-10-01',
        '2026-10-02',
        '2026-10-03',
        '2026-10-04',
        '2026-10-05',
        '2026-10-06',
        '2026-10-07',
      ],
      // 调休: weekend days worked to bridge the holidays above.
      makeUpWorkingDays: [
        '2026-01-04',
        '2026-02-14',
        '2026-02-28',
        '2026-05-09',
        '2026-09-20',
        '2026-10-10',
      ],
      utcOffsetMinutes: 480,
      sources: [
        '市场监督管理投诉举报处理暂行办法 art. 14 (7 working days to accept), art. 21 (45 working days of mediation)',
        '国务院办公厅关于2026年部分节假日安排的通知 (4 Nov 2025)',
      ],
    },
    US: {
      name: 'United States',
      deadlines: {
        acknowledge: days(1, 'businessDays'),
        acknowledgeUrgent: days(24, 'hours'),
        finalResponse: days(15, 'calendarDays'),
        extendedFinalResponse: days(60, 'calendarDays'),
      },
      consumerBody: {
        code: 'FTC',
        name: 'Federal Trade Commission',
        byRespondentKind: {
          platform: { code: 'CFPB', name: 'Consumer Financial Protection Bureau', requires: CFPB },
          bank: { code: 'CFPB', name: 'Consumer Financial Protection Bureau', requires: CFPB },
        },
        acceptance: days(15, 'calendarDays'),
        mediation: days(60, 'calendarDays'),
        requires: needs(FTC_FORM, 'respondent.name', 'narrative'),
      },
      legalThreshold: { amountMinor: LEGAL_THRESHOLD_MINOR, currency: 'USD' },
      // 2026 federal holidays (5 U.S.C. 6103), observed dates.
      holidays: [
        '2026-01-01',
        '2026-01-19',
        '2026-02-16',
        '2026-05-25',
        '2026-06-19',
        '2026-07-03',
        '2026-09-07',
        '2026-10-12',
        '2026-11-11',
        '2026-11-26',
        '2026-12-25',
      ],
      makeUpWorkingDays: [],
      utcOffsetMinutes: -300,
      sources: ['CFPB company portal manual: response within 15 calendar days, final within 60'],
    },
    GB: {
      name: 'United Kingdom',
      deadlines: {
        acknowledge: days(3, 'businessDays'),
        // The design asks for a shorter first response on urgent categories everywhere.
        acknowledgeUrgent: days(1, 'businessDays'),
        finalResponse: days(15, 'businessDays'),
        extendedFinalResponse: days(35, 'businessDays'),
      },
      consumerBody: {
        code: 'FOS',
        name: 'Financial Ombudsman Service',
        acceptance: days(10, 'businessDays'),
        mediation: days(90, 'calendarDays'),
        requires: needs(FOS_DISP, 'priorComplaint', 'finalResponseWithinSixMonths'),
      },
      legalThreshold: { amountMinor: LEGAL_THRESHOLD_MINOR, currency: 'GBP' },
      // 2026 bank holidays, England and Wales.
      holidays: [
        '2026-01-01',
        '2026-04-03',
        '2026-04-06',
        '2026-05-04',
        '2026-05-25',
        '2026-08-31',
        '2026-12-25',
        '2026-12-28',
      ],
      makeUpWorkingDays: [],
      utcOffsetMinutes: 0,
      sources: ['FCA DISP 1.6.2A R: 15 business days, 35 with a holding reply'],
    },
    EU: {
      name: 'European Union member state',
      deadlines: {
        acknowledge: days(1, 'businessDays'),
        acknowledgeUrgent: days(24, 'hours'),
        finalResponse: days(15, 'businessDays'),
        extendedFinalResponse: days(35, 'businessDays'),
      },
      consumerBody: {
        code: 'ADR-{country}',
        name: 'national ADR entity ({country})',
        acceptance: days(21, 'calendarDays'),
        mediation: days(90, 'calendarDays'),
        requires: needs(ADR_ART_5, 'priorComplaint', 'withinOneYearOfComplaint'),
      },
      legalThreshold: { amountMinor: LEGAL_THRESHOLD_MINOR, currency: 'EUR' },
      // National holidays differ by member state; add them per state under its own key.
      holidays: [],
      makeUpWorkingDays: [],
      utcOffsetMinutes: 60,
      sources: [
        'PSD2 (EU) 2015/2366 art. 101(2): 15 business days, exceptionally 35',
        'ADR Directive 2013/11/EU art. 5(4) and 8(e): 3 weeks to refuse, 90 days to an outcome',
      ],
    },
    default: {
      name: 'Any other jurisdiction',
      deadlines: {
        acknowledge: days(1, 'calendarDays'),
        acknowledgeUrgent: null,
        finalResponse: days(30, 'calendarDays'),
        extendedFinalResponse: null,
      },
      consumerBody: null,
      legalThreshold: null,
      holidays: [],
      makeUpWorkingDays: [],
      utcOffsetMinutes: 0,
      sources: ['Redress service level; no external body is known'],
    },
  },
  reopenWindowDays: 90,
  holidays: [],
  makeUpWorkingDays: [],
});

/** The policy key that governs a jurisdiction: its own row, else `EU` for member states, else `default`. */
export function policyKeyFor(policy: WorkflowPolicy, jurisdiction: string): string {
  if (Object.hasOwn(policy.jurisdictions, jurisdiction) && jurisdiction !== 'default') {
    return jurisdiction;
  }
  if (isEuState(jurisdiction)) return 'EU';
  return 'default';
}

/** The row of the policy table that applies to `jurisdiction` (ISO 3166-1 alpha-2). */
export function policyFor(policy: WorkflowPolicy, jurisdiction: string): JurisdictionPolicy {
  const key = policyKeyFor(policy, jurisdiction);
  return policy.jurisdictions[key] ?? policy.jurisdictions.default;
}

/**
 * The consumer body's code and name for a case, and what it requires, or null when nobody
 * takes escalations there.
 */
export function consumerBodyInfoFor(
  policy: WorkflowPolicy,
  jurisdiction: string,
  respondentKind: RespondentKind,
): { code: string; name: string; requires: BodyRequirement[] } | null {
  const body = policyFor(policy, jurisdiction).consumerBody;
  if (!body) return null;
  const chosen = body.byRespondentKind?.[respondentKind] ?? body;
  return {
    code: chosen.code.replaceAll('{country}', jurisdiction),
    name: chosen.name.replaceAll('{country}', jurisdiction),
    requires: [...(chosen.requires ?? body.requires)],
  };
}

/** The consumer body's code (`12315`, `CFPB`, `FTC`, `FOS`, `ADR-DE`), or null when none exists. */
export function consumerBodyFor(
  policy: WorkflowPolicy,
  jurisdiction: string,
  respondentKind: RespondentKind,
): string | null {
  return consumerBodyInfoFor(policy, jurisdiction, respondentKind)?.code ?? null;
}

/** The amount at or above which a referral to legal needs no written reason; null means always. */
export function legalThresholdFor(policy: WorkflowPolicy, jurisdiction: string): Money | null {
  return policyFor(policy, jurisdiction).legalThreshold;
}

/** The working-day calendar of a jurisdiction: policy-wide dates plus the row's own. */
export function calendarFor(policy: WorkflowPolicy, jurisdiction: string): BusinessCalendar {
  const row = policyFor(policy, jurisdiction);
  return {
    holidays: [...policy.holidays, ...row.holidays],
    makeUpWorkingDays: [...policy.makeUpWorkingDays, ...row.makeUpWorkingDays],
    utcOffsetMinutes: row.utcOffsetMinutes,
  };
}

/** The facts a clock depends on; a whole `CaseFacts` or the machine context will do. */
export type ClockFacts = { jurisdiction: string; category: Category };

/**
 * How long a deadline of `kind` runs for a case, or null when the jurisdiction has none
 * (no extension, no consumer body). `extended` asks for the holding-response period.
 */
export function durationFor(
  policy: WorkflowPolicy,
  facts: ClockFacts,
  kind: DeadlineKind,
  extended = false,
): Duration | null {
  const row = policyFor(policy, facts.jurisdiction);
  switch (kind) {
    case 'acknowledge':
      return (
        (isUrgent(facts.category) ? row.deadlines.acknowledgeUrgent : null) ??
        row.deadlines.acknowledge
      );
    case 'finalResponse':
      return extended ? row.deadlines.extendedFinalResponse : row.deadlines.finalResponse;
    case 'bodyAcceptance':
      return row.consumerBody?.acceptance ?? null;
    case 'bodyMediation':
      return row.consumerBody?.mediation ?? null;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
