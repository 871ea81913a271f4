import { z } from 'zod';
import { DeadlineKind } from './policy.ts';
import { Category, RespondentKind, Role } from './taxonomy.ts';

export const Actor = z.strictObject({
  id: z.string().min(1).max(200),
  role: Role,
});
export type Actor = z.infer<typeof Actor>;

/** A postal address as the guards see it (validated where it is entered: server/users). */
export const PostalAddressFacts = z.object({
  lines: z.array(z.string()),
  locality: z.string(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string(),
});
export type PostalAddressFacts = z.infer<typeof PostalAddressFacts>;

/**
 * What the guards may know about the case, rebuilt by the server from the stored case for every
 * event so a rule always judges the case as it is now (an edited amount, newly added evidence).
 * `complainant` is the owner's account as it is now: contact details live there, not on the case.
 */
export const CaseFacts = z.object({
  jurisdiction: z.string().regex(/^[A-Z]{2}$/),
  category: Category,
  respondent: z.object({
    name: z.string(),
    kind: RespondentKind,
    address: z.string().optional(),
    registrationNumber: z.string().optional(),
  }),
  complainant: z.object({
    name: z.string(),
    phone: z.string().nullable(),
    postalAddress: PostalAddressFacts.nullable(),
  }),
  /** When the platform's final response went out; null while none has. */
  finalResponseAt: z.string().nullable(),
  transaction: z.object({
    occurredAt: z.string(),
    amount: z.object({
      amountMinor: z.number().int().nonnegative(),
      currency: z.string().regex(/^[A-Z]{3}$/),
    }),
  }),
  narrative: z.string(),
  desiredOutcome: z.string(),
  evidenceCount: z.number().int().nonnegative(),
  ownerId: z.string().min(1),
  assigneeId: z.string().nullable(),
});
export type CaseFacts = z.infer<typeof CaseFacts>;

/** What the server adds to a client's payload: who acts, when (its clock, not ours) and the case facts. */
export const EventEnvelope = z.object({
  actor: Actor,
  at: z.iso.datetime({ offset: true }),
  facts: CaseFacts,
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

const text = (max: number) => z.string().trim().min(1).max(max);
const REASON = text(2_000);
const LONG_TEXT = text(10_000);

export const RESPONSE_OUTCOMES = ['upheld', 'partially_upheld', 'rejected'] as const;
export const ResponseOutcome = z.enum(RESPONSE_OUTCOMES);
export type ResponseOutcome = z.infer<typeof ResponseOutcome>;

export const BODY_DECISIONS = ['settled', 'upheld', 'rejected', 'unresolved'] as const;
export const BodyDecision = z.enum(BODY_DECISIONS);
export type BodyDecision = z.infer<typeof BodyDecision>;

export const LEGAL_OUTCOMES = [
  'settled',
  'judgment_for_complainant',
  'judgment_for_respondent',
  'discontinued',
] as const;
export const LegalOutcome = z.enum(LEGAL_OUTCOMES);
export type LegalOutcome = z.infer<typeof LegalOutcome>;

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...shape });

export const RESPONDENT_ADDRESS_MAX = 500;
export const REGISTRATION_NUMBER_MAX = 50;
/** The respondent's postal address, one free-form text: it is printed, never parsed. */
export const RespondentAddress = text(RESPONDENT_ADDRESS_MAX);
/**
 * A company registration number. In China it is the 18-character unified social credit code,
 * whose check character the server verifies (it knows the jurisdiction; this schema does not).
 */
export const RegistrationNumber = text(REGISTRATION_NUMBER_MAX);

/** The payload schema of each event: what an HTTP client sends (unknown fields are rejected). */
export const EVENT_PAYLOADS = {
  TRIAGE_ACCEPT: event('TRIAGE_ACCEPT', {}),
  TRIAGE_REJECT: event('TRIAGE_REJECT', { reason: REASON }),
  ASSIGN: event('ASSIGN', { officerId: text(200) }),
  REQUEST_INFO: event('REQUEST_INFO', { question: LONG_TEXT }),
  PROVIDE_INFO: event('PROVIDE_INFO', { answer: LONG_TEXT }),
  REFER_TO_BANK: event('REFER_TO_BANK', { note: LONG_TEXT.optional() }),
  BANK_RESPONDED: event('BANK_RESPONDED', { note: LONG_TEXT }),
  ISSUE_HOLDING_RESPONSE: event('ISSUE_HOLDING_RESPONSE', { reason: REASON }),
  ISSUE_RESPONSE: event('ISSUE_RESPONSE', {
    outcome: ResponseOutcome,
    remedy: text(2_000).optional(),
    message: LONG_TEXT,
  }),
  ACCEPT_RESPONSE: event('ACCEPT_RESPONSE', {}),
  REJECT_RESPONSE: event('REJECT_RESPONSE', { reason: REASON.optional() }),
  ESCALATE: event('ESCALATE', {}),
  RECORD_SUBMISSION: event('RECORD_SUBMISSION', { externalReference: text(200) }),
  RECORD_BODY_DECISION: event('RECORD_BODY_DECISION', { decision: BodyDecision, note: LONG_TEXT }),
  REFER_TO_LEGAL: event('REFER_TO_LEGAL', { reason: REASON.optional() }),
  RECORD_LEGAL_OUTCOME: event('RECORD_LEGAL_OUTCOME', { outcome: LegalOutcome, note: LONG_TEXT }),
  CLOSE: event('CLOSE', { reason: REASON }),
  WITHDRAW: event('WITHDRAW', { reason: REASON.optional() }),
  REOPEN: event('REOPEN', { reason: REASON }),
  DEADLINE_PASSED: event('DEADLINE_PASSED', { deadline: DeadlineKind }),
  UPDATE_DETAILS: event('UPDATE_DETAILS', {
    respondent: z
      .strictObject({
        address: RespondentAddress.optional(),
        registrationNumber: RegistrationNumber.optional(),
      })
      .refine(
        (value) => value.address !== undefined || value.registrationNumber !== undefined,
        'give the address, the registration number or both',
      ),
  }),
} as const;

export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

const P = EVENT_PAYLOADS;

/** `POST /cases/:id/events` body minus `expectedVersion`: one of the payloads above, by `type`. */
export const EventPayload = z.discriminatedUnion('type', [
  P.TRIAGE_ACCEPT,
  P.TRIAGE_REJECT,
  P.ASSIGN,
  P.REQUEST_INFO,
  P.PROVIDE_INFO,
  P.REFER_TO_BANK,
  P.BANK_RESPONDED,
  P.ISSUE_HOLDING_RESPONSE,
  P.ISSUE_RESPONSE,
  P.ACCEPT_RESPONSE,
  P.REJECT_RESPONSE,
  P.ESCALATE,
  P.RECORD_SUBMISSION,
  P.RECORD_BODY_DECISION,
  P.REFER_TO_LEGAL,
  P.RECORD_LEGAL_OUTCOME,
  P.CLOSE,
  P.WITHDRAW,
  P.REOPEN,
  P.DEADLINE_PASSED,
  P.UPDATE_DETAILS,
]);
export type EventPayload = z.infer<typeof EventPayload>;

const ENVELOPE = EventEnvelope.shape;

/** Every event's payload extended by the same fields, keeping each payload strict. */
function eventsWith<S extends z.ZodRawShape>(shape: S) {
  return z.discriminatedUnion('type', [
    P.TRIAGE_ACCEPT.extend(shape),
    P.TRIAGE_REJECT.extend(shape),
    P.ASSIGN.extend(shape),
    P.REQUEST_INFO.extend(shape),
    P.PROVIDE_INFO.extend(shape),
    P.REFER_TO_BANK.extend(shape),
    P.BANK_RESPONDED.extend(shape),
    P.ISSUE_HOLDING_RESPONSE.extend(shape),
    P.ISSUE_RESPONSE.extend(shape),
    P.ACCEPT_RESPONSE.extend(shape),
    P.REJECT_RESPONSE.extend(shape),
    P.ESCALATE.extend(shape),
    P.RECORD_SUBMISSION.extend(shape),
    P.RECORD_BODY_DECISION.extend(shape),
    P.REFER_TO_LEGAL.extend(shape),
    P.RECORD_LEGAL_OUTCOME.extend(shape),
    P.CLOSE.extend(shape),
    P.WITHDRAW.extend(shape),
    P.REOPEN.extend(shape),
    P.DEADLINE_PASSED.extend(shape),
    P.UPDATE_DETAILS.extend(shape),
  ]);
}

/** A complete event as the machine receives it: payload plus envelope. */
export const WorkflowEvent = eventsWith(ENVELOPE);
export type WorkflowEvent = z.infer<typeof WorkflowEvent>;

/**
 * The body of `POST /cases/:id/events`: a payload and the version the client last saw. Each
 * member stays strict, so an unknown field is a 400; an intersection of the payloads with the
 * version field dropped unknown fields silently instead.
 */
export const VersionedEventPayload = eventsWith({
  expectedVersion: z.number().int().positive().optional(),
});

export type EventOf<T extends EventType> = Extract<WorkflowEvent, { type: T }>;

/** Builds the full event from a parsed payload and the server's envelope. */
export function toWorkflowEvent(payload: EventPayload, envelope: EventEnvelope): WorkflowEvent {
  return { ...payload, ...envelope } as WorkflowEvent;
}

/**
 * Who may send each event. Complainant events also require the sender to own the case;
 * compliance and admin send none (they read and administer, never change a case).
 */
export const EVENT_ROLES: Readonly<Record<EventType, readonly Role[]>> = Object.freeze({
  TRIAGE_ACCEPT: ['officer'],
  TRIAGE_REJECT: ['officer'],
  ASSIGN: ['officer'],
  REQUEST_INFO: ['officer'],
  PROVIDE_INFO: ['complainant'],
  REFER_TO_BANK: ['officer'],
  BANK_RESPONDED: ['officer'],
  ISSUE_HOLDING_RESPONSE: ['officer'],
  ISSUE_RESPONSE: ['officer'],
  ACCEPT_RESPONSE: ['complainant'],
  REJECT_RESPONSE: ['complainant'],
  ESCALATE: ['complainant'],
  RECORD_SUBMISSION: ['officer'],
  RECORD_BODY_DECISION: ['officer'],
  REFER_TO_LEGAL: ['officer'],
  RECORD_LEGAL_OUTCOME: ['officer'],
  CLOSE: ['officer'],
  WITHDRAW: ['complainant'],
  REOPEN: ['officer'],
  DEADLINE_PASSED: ['system'],
  UPDATE_DETAILS: ['complainant', 'officer'],
});

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}

/**
 * Why this actor may not send this event, or null when they may. Complainant events are the
 * owner's alone: another complainant must not steer someone else's case.
 */
export function checkActor(event: {
  type: string;
  actor: Actor;
  facts: Pick<CaseFacts, 'ownerId'>;
}): string | null {
  if (!isEventType(event.type)) return `${event.type} is not a workflow event`;
  const roles = EVENT_ROLES[event.type];
  if (!roles.includes(event.actor.role)) {
    return `the ${event.actor.role} role cannot send ${event.type}; it is sent by: ${roles.join(', ')}`;
  }
  if (event.actor.role === 'complainant' && event.actor.id !== event.facts.ownerId) {
    return `only the complainant who filed the case can send ${event.type}`;
  }
  return null;
}
