import { z } from 'zod';
import { PageLimit, objectIdString } from '../query-schemas.ts';
import { Instant, TO_BEFORE_FROM, rangeIsOrdered } from '../date-range.ts';
import { QUEUES } from './derived.ts';
import {
  Category,
  Deadline,
  Duration,
  FactCode,
  RegistrationNumber,
  RespondentAddress,
  RespondentKind,
  VersionedEventPayload,
} from '../../workflows/index.ts';
import { normalRegistrationNumber, registrationNumberProblem } from './registration-number.ts';
import { Locale } from '../users/schemas.ts';
import { Timeliness } from '../../workflows/timeliness.ts';
import { NOTE_MAX } from './notes.ts';

/**
 * A stored deadline with the clock it runs on (e.g. 15 working days), which the policy decides
 * from the case's jurisdiction and category: sent so that clients never copy that rule.
 */
export const DeadlineView = Deadline.extend({ clock: Duration.nullable() });

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY or USD')
  .refine((code) => CURRENCIES.has(code), 'not an ISO 4217 currency');

export const Jurisdiction = z
  .string()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as CN, US or GB')
  .refine((code) => {
    // zod runs this even when the pattern above failed, and DisplayNames throws on non-codes.
    if (!/^[A-Z]{2}$/.test(code)) return true;
    const name = regionNames.of(code);
    return name !== undefined && name !== code && name !== 'Unknown Region';
  }, 'not an ISO 3166-1 country');

export const Money = z
  .strictObject({
    amountMinor: z
      .number()
      .int('minor units are whole numbers (fen, cents)')
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER),
    currency: CurrencyCode,
  })
  .meta({ id: 'Money', description: 'An amount in minor units (fen, cents) and its currency' });

export const CHANNELS = ['web', 'app', 'email', 'phone', 'letter', 'import'] as const;
export const NARRATIVE_MAX = 10_000;

const ObjectIdString = objectIdString();

export const FileComplaint = z
  .strictObject({
    category: Category,
    jurisdiction: Jurisdiction,
    locale: Locale,
    respondent: z.strictObject({
      name: z.string().trim().min(1).max(200),
      kind: RespondentKind,
      address: RespondentAddress.optional(),
      registrationNumber: RegistrationNumber.optional().describe(
        'In China the unified social credit code, whose check character is verified',
      ),
    }),
    transaction: z.strictObject({
      occurredAt: z.iso.datetime({ offset: true }),
      reference: z.string().trim().min(1).max(120).optional(),
      amount: Money,
    }),
    narrative: z.string().trim().min(1).max(NARRATIVE_MAX),
    desiredOutcome: z.string().trim().min(1).max(2_000),
    channel: z.enum(CHANNELS).default('web'),
    /** Officers filing on behalf of a complainant name the complainant's account. */
    complainantId: ObjectIdString.optional(),
  })
  .superRefine((value, ctx) => {
    const number = value.respondent.registrationNumber;
    const problem = number && registrationNumberProblem(value.jurisdiction, number);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: ['respondent', 'registrationNumber'],
        message: problem,
      });
    }
  })
  .transform((value) => {
    const number = value.respondent.registrationNumber;
    if (!number) return value;
    const registrationNumber = normalRegistrationNumber(value.jurisdiction, number);
    return { ...value, respondent: { ...value.respondent, registrationNumber } };
  })
  .meta({ id: 'FileComplaint' });
export type FileComplaint = z.infer<typeof FileComplaint>;

export const CaseEventRequest = VersionedEventPayload.meta({ id: 'CaseEvent' });

export const AddNoteRequest = z
  .strictObject({ text: z.string().trim().min(1, 'write the note').max(NOTE_MAX) })
  .meta({ id: 'AddNoteRequest' });
export type AddNoteRequest = z.infer<typeof AddNoteRequest>;

export const CaseIdParams = z.strictObject({ id: ObjectIdString });

export const LIST_ORDERS = ['filed', 'due'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListCasesQuery = z
  .strictObject({
    state: z
      .string()
      .regex(/^[a-zA-Z]+(\.[a-zA-Z]+)?$/, 'a state such as platformReview or escalated.submitted')
      .optional(),
    category: Category.optional(),
    jurisdiction: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    overdue: booleanQuery.optional(),
    urgent: booleanQuery.optional(),
    assignee: z.union([z.literal('me'), z.literal('none'), ObjectIdString]).optional(),
    open: booleanQuery.optional(),
    queue: z.enum(QUEUES).optional(),
    filedFrom: Instant.optional(),
    filedTo: Instant.optional(),
    q: z.string().trim().min(1).max(200).optional(),
    /**
     * `filed` (the default): newest first. `due`: time left, the soonest running deadline
     * first, then the cases without one, newest first. Free-text search is always newest
     * first; the page's `order` says which order it is in.
     */
    sort: z.enum(LIST_ORDERS).optional(),
    limit: PageLimit,
    cursor: ObjectIdString.optional(),
  })
  .refine(rangeIsOrdered, TO_BEFORE_FROM);
export type ListCasesQuery = z.infer<typeof ListCasesQuery>;

export const TimelineEntryView = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    type: z.string(),
    actor: z.object({ id: z.string(), role: z.string() }),
    fromState: z.string().nullable(),
    toState: z.string(),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'TimelineEntry' });

export const TimelineView = z
  .object({
    caseId: z.string(),
    reference: z.string(),
    entries: z.array(TimelineEntryView),
    verified: z.boolean(),
    brokenAt: z.number().int().optional(),
    problem: z.string().optional(),
  })
  .meta({ id: 'Timeline' });

export const MissingFactView = z
  .object({ fact: FactCode, label: z.string() })
  .meta({ id: 'MissingFact', description: 'A fact the consumer body requires and the case lacks' });

export const EscalationReadinessView = z
  .object({
    body: z.object({ code: z.string(), name: z.string() }).nullable(),
    ready: z.boolean(),
    missing: z.array(MissingFactView),
  })
  .meta({ id: 'EscalationReadiness' });

export const CaseView = z
  .object({
    id: z.string(),
    reference: z.string(),
    state: z.string(),
    version: z.number().int(),
    machineVersion: z.number().int(),
    category: Category,
    urgent: z.boolean(),
    jurisdiction: z.string(),
    locale: Locale,
    channel: z.string(),
    respondent: z.object({
      name: z.string(),
      kind: RespondentKind,
      address: z.string().optional(),
      registrationNumber: z.string().optional(),
    }),
    transaction: z.object({
      occurredAt: z.string(),
      reference: z.string().optional(),
      amount: Money,
    }),
    narrative: z.string(),
    desiredOutcome: z.string(),
    ownerId: z.string(),
    assigneeId: z.string().nullable(),
    consumerBody: z.string().nullable(),
    overdue: z.boolean(),
    deadlines: z.array(DeadlineView),
    evidenceCount: z.number().int(),
    outcome: z.object({
      response: z.string().nullable(),
      holdingResponse: z.boolean(),
      bodyReference: z.string().nullable(),
      bodyDecision: z.string().nullable(),
      legalOutcome: z.string().nullable(),
    }),
    filedAt: z.string(),
    updatedAt: z.string(),
    allowedEvents: z.array(z.string()),
    timeliness: Timeliness,
    escalation: EscalationReadinessView.optional().describe(
      "Whether the case has what its consumer body requires (one case's view, not lists): `missing` names each absent fact, as ESCALATE's 422 does; `allowedEvents` still says whether the state takes ESCALATE",
    ),
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof CaseView>;

export const CasePage = z
  .object({
    items: z.array(CaseView.omit({ allowedEvents: true, escalation: true })),
    nextCursor: z.string().nullable(),
    order: z.enum(LIST_ORDERS).describe('The order the items are in (see `sort`)'),
  })
  .meta({ id: 'CasePage' });

export const QueueCountsView = z
  .object({
    total: z.number().int(),
    open: z.number().int(),
    queues: z.object({
      triage: z.number().int(),
      mine: z.number().int(),
      unassigned: z.number().int(),
      overdue: z.number().int(),
      urgent: z.number().int(),
      awaiting_complainant: z.number().int(),
      awaiting_bank: z.number().int(),
      escalated: z.number().int(),
    }),
  })
  .meta({ id: 'QueueCounts' });
