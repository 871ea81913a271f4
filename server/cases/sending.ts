import {
  applyDeadlineActions,
  decide,
  missingFacts,
  toWorkflowEvent,
  type Actor,
  type EventOf,
  type EventPayload,
  type MissingFact,
  type WorkflowEvent,
  type WorkflowPolicy,
} from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  GuardRefusedError,
  InvalidTransitionError,
  UnprocessableError,
  ValidationError,
} from '../errors.ts';
import type { AuthenticatedUser, UserService } from '../users/service.ts';
import type { CaseActor, LoadVisible } from './actors.ts';
import type { CaseChange, Commit } from './committing.ts';
import type { CaseRecord } from './model.ts';
import type { CaseView } from './schemas.ts';
import { createFactsLoader } from './facts.ts';
import { normalRegistrationNumber, registrationNumberProblem } from './registration-number.ts';
import type { MachineFor, ToCaseView } from './views.ts';

/**
 * ESCALATE refused: the rule's reason, and what the consumer body requires and the case lacks
 * as data (`missing`, the same list as the case view's `escalation.missing`).
 */
export class EscalationRefusedError extends AppError {
  constructor(reason: string, missing: MissingFact[]) {
    super('rule-refused', 422, reason, { reason, missing });
  }
}

/**
 * UPDATE_DETAILS as it is recorded: a registration number checked against the jurisdiction
 * (in China a unified social credit code with its check character) and stored in its normal form.
 */
function checkedDetails(
  record: CaseRecord,
  payload: EventOf<'UPDATE_DETAILS'>['respondent'],
): EventOf<'UPDATE_DETAILS'>['respondent'] {
  const number = payload.registrationNumber;
  if (number === undefined) return payload;
  const problem = registrationNumberProblem(record.jurisdiction, number);
  if (problem) {
    throw new ValidationError('The registration number is not valid.', [
      { path: 'respondent.registrationNumber', message: problem },
    ]);
  }
  return { ...payload, registrationNumber: normalRegistrationNumber(record.jurisdiction, number) };
}

function refusal(
  policy: WorkflowPolicy,
  event: WorkflowEvent,
  record: CaseRecord,
  reason: string,
): AppError {
  if (event.type !== 'ESCALATE') return new GuardRefusedError(reason);
  const input = { facts: event.facts, context: record.context, at: event.at };
  return new EscalationRefusedError(reason, missingFacts(policy, input));
}

export interface EventStepDeps {
  users: Pick<UserService, 'findById'>;
  clock: Clock;
  machineFor: MachineFor;
  policy: WorkflowPolicy;
}

/** An ASSIGN must name an officer who can take the case. */
async function assertActiveOfficer(users: EventStepDeps['users'], officerId: string) {
  const officer = await users.findById(officerId);
  if (!officer || officer.role !== 'officer' || officer.disabled) {
    throw new UnprocessableError('officerId does not name an active officer.');
  }
}

/**
 * The change one event makes to a case, as the pure machine decides it: not accepted → 409
 * with the accepted events, wrong role → 403, a refusing rule → 422; else the next state, its
 * deadlines and the actions (the emails among them) for the commit.
 */
export function createEventStep(deps: EventStepDeps) {
  const { users, clock, machineFor, policy } = deps;
  const loadFacts = createFactsLoader(users);
  return async function changeFor(
    record: CaseRecord,
    actor: CaseActor,
    sent: EventPayload,
  ): Promise<CaseChange> {
    const at = clock.now().toISOString();
    const payload: EventPayload =
      sent.type === 'UPDATE_DETAILS'
        ? { ...sent, respondent: checkedDetails(record, sent.respondent) }
        : sent;
    const facts = await loadFacts(record);
    const machine = machineFor(record);
    if (payload.type === 'ASSIGN') await assertActiveOfficer(users, payload.officerId);
    const event = toWorkflowEvent(payload, { actor: actor as Actor, at, facts });
    const stored = { value: record.stateValue as never, context: record.context };
    const decision = decide(machine, stored, event);
    if (!decision.ok) {
      if (decision.code === 'not_accepted') {
        throw new InvalidTransitionError(payload.type, record.state, decision.allowedEvents);
      }
      if (decision.code === 'forbidden') throw new ForbiddenError(decision.reason);
      throw refusal(policy, event, record, decision.reason);
    }
    const deadlines = applyDeadlineActions(record.deadlines, decision.actions, at, facts, policy);
    const { type: _type, ...data } = payload;
    return {
      workflow: {
        state: decision.state,
        stateValue: decision.value,
        context: decision.context,
        deadlines,
        actions: decision.actions,
      },
      ...(payload.type === 'UPDATE_DETAILS'
        ? { details: { kind: 'details-completed' as const, respondent: payload.respondent } }
        : {}),
      entry: {
        at,
        type: payload.type,
        actor: { id: actor.id, role: actor.role },
        fromState: record.state,
        toState: decision.state,
        data,
      },
    };
  };
}

export type ApplyToRecord = (
  record: CaseRecord,
  actor: CaseActor,
  payload: EventPayload,
) => Promise<CaseRecord>;

/** Decides an event on a loaded case and commits what it does. */
export function createEventApplying(deps: EventStepDeps & { commit: Commit }): ApplyToRecord {
  const changeFor = createEventStep(deps);
  return async (record, actor, payload) =>
    deps.commit(record, await changeFor(record, actor, payload));
}

/** `POST /cases/:id/events`: a user's event, on the version they saw when they give one. */
export function createEventSending(deps: {
  loadVisible: LoadVisible;
  applyToRecord: ApplyToRecord;
  toView: ToCaseView;
}) {
  const { loadVisible, applyToRecord, toView } = deps;

  /**
   * Sends one workflow event. `expectedVersion`, when given, must match the stored version
   * (optimistic concurrency for clients); either way the update itself is version-guarded.
   */
  return async function applyEvent(
    actor: AuthenticatedUser,
    id: string,
    payload: EventPayload,
    expectedVersion?: number,
  ): Promise<CaseView> {
    const record = await loadVisible(actor, id);
    if (expectedVersion !== undefined && expectedVersion !== record.version) {
      throw new ConflictError(
        `The case is at version ${record.version}, not ${expectedVersion}; reload it and try again.`,
        { currentVersion: record.version },
      );
    }
    if (payload.type === 'DEADLINE_PASSED') {
      throw new ForbiddenError('Only the system reports passed deadlines.');
    }
    return toView(await applyToRecord(record, actor, payload), actor);
  };
}
