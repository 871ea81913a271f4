import { expect } from 'chai';
import {
  applyDeadlineActions,
  complaintMachine,
  decide,
  DEFAULT_POLICY,
  initialCase,
  policyOf,
} from '../../../workflows/index.ts';
import type {
  Actor,
  CaseFacts,
  ComplaintMachine,
  Deadline,
  Decision,
  EventType,
  StoredWorkflow,
  Transitioned,
  WorkflowAction,
  WorkflowEvent,
  WorkflowPolicy,
} from '../../../workflows/index.ts';

/** Monday 2 March 2026, 09:00 UTC: an ordinary working day in every calendar used here. */
export const FILED_AT = '2026-03-02T09:00:00.000Z';

const CURRENCIES: Record<string, string> = { CN: 'CNY', US: 'USD', GB: 'GBP', BR: 'BRL' };

export const complainant: Actor = { id: 'user-1', role: 'complainant' };
export const otherComplainant: Actor = { id: 'user-2', role: 'complainant' };
export const officer: Actor = { id: 'officer-1', role: 'officer' };
export const compliance: Actor = { id: 'compliance-1', role: 'compliance' };
export const admin: Actor = { id: 'admin-1', role: 'admin' };
export const sweeper: Actor = { id: 'sweeper', role: 'system' };

/** A complainant whose account has every contact detail any body asks for. */
export const COMPLETE_COMPLAINANT: CaseFacts['complainant'] = {
  name: 'Li Hua',
  phone: '+8613812345678',
  postalAddress: {
    lines: ['88 Example Road'],
    locality: 'Shanghai',
    region: 'Shanghai',
    postalCode: '200000',
    country: 'CN',
  },
};

/** A complete, escalation-ready complaint in `jurisdiction`, below the legal threshold. */
export function factsFor(jurisdiction = 'CN', overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    jurisdiction,
    category: 'refund_not_received',
    respondent: { name: 'Acme Pay', kind: 'platform', address: '1 Example Road, Springfield' },
    complainant: COMPLETE_COMPLAINANT,
    finalResponseAt: null,
    transaction: {
      occurredAt: '2026-02-20T10:00:00Z',
      amount: { amountMinor: 129_900, currency: CURRENCIES[jurisdiction] ?? 'EUR' },
    },
    narrative: 'I paid for an order, it was cancelled and the refund never arrived.',
    desiredOutcome: 'Refund the full amount.',
    evidenceCount: 2,
    ownerId: complainant.id,
    assigneeId: null,
    ...overrides,
  };
}

export const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(iso) + days * 86_400_000).toISOString();

export function event(
  type: EventType,
  actor: Actor,
  facts: CaseFacts,
  at: string,
  payload: Record<string, unknown> = {},
): WorkflowEvent {
  return { type, actor, at, facts, ...payload } as WorkflowEvent;
}

/**
 * A case as the server would keep it: the stored workflow, its deadlines and its outbox,
 * updated from each accepted decision exactly as the server is told to.
 */
export class TestCase {
  stored: StoredWorkflow;
  deadlines: Deadline[] = [];
  notifications: Array<WorkflowAction & { type: 'notify' }> = [];
  visited: string[];
  lastActions: WorkflowAction[];
  readonly policy: WorkflowPolicy;

  constructor(
    public facts: CaseFacts = factsFor(),
    public now: string = FILED_AT,
    readonly machine: ComplaintMachine = complaintMachine,
  ) {
    this.policy = policyOf(machine);
    const filed = initialCase(machine, { actor: complainant, at: now, facts });
    this.stored = { value: filed.value, context: filed.context };
    this.visited = [filed.state];
    this.lastActions = filed.actions;
    this.record(filed.actions);
  }

  get state(): string {
    return this.visited.at(-1) ?? '';
  }

  get context() {
    return this.stored.context;
  }

  private record(actions: WorkflowAction[]): void {
    this.deadlines = applyDeadlineActions(
      this.deadlines,
      actions,
      this.now,
      this.facts,
      this.policy,
    );
    for (const action of actions) if (action.type === 'notify') this.notifications.push(action);
  }

  /** Advances the case's clock; events are sent at `now`. */
  at(iso: string): this {
    this.now = iso;
    return this;
  }

  send(type: EventType, actor: Actor, payload: Record<string, unknown> = {}): Decision {
    const decision = decide(
      this.machine,
      this.stored,
      event(type, actor, this.facts, this.now, payload),
    );
    if (decision.ok) {
      this.stored = { value: decision.value, context: decision.context };
      this.visited.push(decision.state);
      this.lastActions = decision.actions;
      this.record(decision.actions);
    }
    return decision;
  }

  /** Sends an event that must be accepted. */
  must(type: EventType, actor: Actor, payload: Record<string, unknown> = {}): Transitioned {
    const decision = this.send(type, actor, payload);
    if (!decision.ok)
      expect.fail(`${type} in ${this.state} was refused: ${JSON.stringify(decision)}`);
    return decision;
  }

  deadline(kind: Deadline['kind']): Deadline | undefined {
    return this.deadlines.findLast((d) => d.kind === kind);
  }
}

export const POLICY = DEFAULT_POLICY;

// Shortcuts to states most tests start from.
export function inReview(facts = factsFor(), at = FILED_AT): TestCase {
  const c = new TestCase(facts, at);
  c.must('TRIAGE_ACCEPT', officer);
  return c;
}

export function withResponse(facts = factsFor(), at = FILED_AT): TestCase {
  const c = inReview(facts, at);
  c.must('ISSUE_RESPONSE', officer, { outcome: 'rejected', message: 'We found no error.' });
  return c;
}

export function escalated(facts = factsFor(), at = FILED_AT): TestCase {
  const c = withResponse(facts, at);
  c.must('REJECT_RESPONSE', complainant, { reason: 'Not good enough.' });
  c.must('ESCALATE', complainant);
  return c;
}

export function submitted(facts = factsFor(), at = FILED_AT): TestCase {
  const c = escalated(facts, at);
  c.must('RECORD_SUBMISSION', officer, { externalReference: 'BODY-42' });
  return c;
}

export function decided(facts = factsFor(), at = FILED_AT): TestCase {
  const c = submitted(facts, at);
  c.must('RECORD_BODY_DECISION', officer, { decision: 'rejected', note: 'No fault found.' });
  return c;
}
