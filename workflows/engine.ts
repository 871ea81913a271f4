import { getNextTransitions, initialTransition, transition } from 'xstate';
import type { AnyTransitionDefinition, StateValue } from 'xstate';
import { WORKFLOW_ACTION_TYPES } from './actions.ts';
import type { WorkflowAction } from './actions.ts';
import { policyOf } from './complaint-machine.ts';
import type { ComplaintMachine } from './complaint-machine.ts';
import type { ComplaintContext, ComplaintInput } from './context.ts';
import { checkActor, isEventType } from './events.ts';
import type { Actor, CaseFacts, EventType, WorkflowEvent } from './events.ts';
import { GUARD_CHECKS } from './guards.ts';
import type { GuardName } from './guards.ts';

/** What the server persists for a case's workflow: the state value and the context, both plain JSON. */
export type StoredWorkflow = { value: StateValue; context: ComplaintContext };

export type Transitioned = {
  ok: true;
  value: StateValue;
  /** The active state as a dotted path, e.g. `platformReview.investigating`. */
  state: string;
  context: ComplaintContext;
  actions: WorkflowAction[];
  /** False for events that change the record but not the state (ASSIGN, a holding response). */
  changedState: boolean;
};

/** 409: the state does not take this event at all. */
export type NotAccepted = { ok: false; code: 'not_accepted'; allowedEvents: EventType[] };
/** The actor's role may not send it, or a complainant is not the case owner. */
export type Forbidden = { ok: false; code: 'forbidden'; reason: string };
/** 422: the state takes the event but a rule refuses it now. */
export type GuardRefused = { ok: false; code: 'guard_refused'; reason: string };

export type Decision = Transitioned | NotAccepted | Forbidden | GuardRefused;

export type InitialCase = {
  value: StateValue;
  state: string;
  context: ComplaintContext;
  actions: WorkflowAction[];
};

/** `{ platformReview: 'investigating' }` → `'platformReview.investigating'`. */
export function stateToPath(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateToPath(child)}`))
    .join(',');
}

/** `'platformReview.investigating'` → `{ platformReview: 'investigating' }`, for queries and migrations. */
export function pathToStateValue(path: string): StateValue {
  const [head = '', ...rest] = path.split('.');
  return rest.length === 0 ? head : { [head]: pathToStateValue(rest.join('.')) };
}

// XState hands back live objects from the machine definition; the caller gets its own copies.
function toWorkflowActions(
  actions: ReadonlyArray<{ type: string; params: unknown }>,
): WorkflowAction[] {
  return actions
    .filter((action) => (WORKFLOW_ACTION_TYPES as readonly string[]).includes(action.type))
    .map(
      (action) =>
        structuredClone({ type: action.type, params: action.params ?? {} }) as WorkflowAction,
    );
}

/** Files a case: the initial state, its context and the actions filing asks for. */
export function initialCase(machine: ComplaintMachine, input: ComplaintInput): InitialCase {
  const [snapshot, actions] = initialTransition(machine, input);
  return {
    value: snapshot.value,
    state: stateToPath(snapshot.value),
    context: structuredClone(snapshot.context),
    actions: toWorkflowActions(actions),
  };
}

/** Rebuilds a snapshot from what the server stored, for XState's pure functions. */
export function restore(machine: ComplaintMachine, stored: StoredWorkflow) {
  return machine.resolveState({ value: stored.value, context: stored.context });
}

type Snapshot = ReturnType<typeof restore>;

function transitionsFor(snapshot: Snapshot, type: string): AnyTransitionDefinition[] {
  return getNextTransitions(snapshot).filter((t) => t.eventType === type);
}

function acceptedEvents(snapshot: Snapshot): EventType[] {
  const types = new Set<EventType>();
  for (const t of getNextTransitions(snapshot)) {
    if (isEventType(t.eventType)) types.add(t.eventType);
  }
  return [...types];
}

function guardName(t: AnyTransitionDefinition): GuardName | null {
  const guard: unknown = t.guard;
  const name =
    typeof guard === 'string'
      ? guard
      : guard && typeof guard === 'object' && 'type' in guard
        ? String(guard.type)
        : null;
  return name !== null && Object.hasOwn(GUARD_CHECKS, name) ? (name as GuardName) : null;
}

/** The event types the current state takes, whoever sends them. */
export function acceptedEventsFor(machine: ComplaintMachine, stored: StoredWorkflow): EventType[] {
  return acceptedEvents(restore(machine, stored));
}

/**
 * The event types this actor could send now: the state takes them and the actor's role (and,
 * for a complainant, ownership) allows them. Rules that depend on the payload are not evaluated.
 */
export function allowedEventsFor(
  machine: ComplaintMachine,
  stored: StoredWorkflow,
  actor: Actor,
  facts: Pick<CaseFacts, 'ownerId'>,
): EventType[] {
  return acceptedEventsFor(machine, stored).filter(
    (type) => checkActor({ type, actor, facts }) === null,
  );
}

/**
 * Applies one event to a stored case without side effects. Expected refusals are values, in
 * this order: the state does not take the event (`not_accepted`), the actor may not send it
 * (`forbidden`), a rule refuses it (`guard_refused`, with the rule's reason). Otherwise the new
 * state, context and the actions for the server to execute.
 */
export function decide(
  machine: ComplaintMachine,
  stored: StoredWorkflow,
  event: WorkflowEvent,
): Decision {
  const snapshot = restore(machine, stored);
  const candidates = transitionsFor(snapshot, event.type);
  if (candidates.length === 0) {
    return { ok: false, code: 'not_accepted', allowedEvents: acceptedEvents(snapshot) };
  }

  const forbidden = checkActor(event);
  if (forbidden) return { ok: false, code: 'forbidden', reason: forbidden };

  // XState takes the first transition whose guard passes, deepest state first; when none does,
  // the first refusal is the one that belongs to the most specific rule.
  const policy = policyOf(machine);
  let refusal: string | null = null;
  let enabled = false;
  for (const candidate of candidates) {
    const name = guardName(candidate);
    const reason = name ? GUARD_CHECKS[name](snapshot.context, event, policy) : null;
    if (reason === null) {
      enabled = true;
      break;
    }
    refusal ??= reason;
  }
  if (!enabled) {
    return { ok: false, code: 'guard_refused', reason: refusal ?? `${event.type} is refused` };
  }

  const [next, actions] = transition(machine, snapshot, event);
  const before = stateToPath(snapshot.value);
  const after = stateToPath(next.value);
  return {
    ok: true,
    value: structuredClone(next.value),
    state: after,
    context: structuredClone(next.context),
    actions: toWorkflowActions(actions),
    changedState: before !== after,
  };
}
