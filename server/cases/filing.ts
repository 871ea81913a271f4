import { Types } from 'mongoose';
import {
  MACHINE_VERSION,
  applyDeadlineActions,
  initialCase,
  isUrgent,
  type Actor,
  type CaseFacts,
  type ComplaintMachine,
  type WorkflowPolicy,
} from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import { ForbiddenError, UnprocessableError, ValidationError } from '../errors.ts';
import type { AuthenticatedUser, UserService } from '../users/service.ts';
import { outboxItems } from './committing.ts';
import { dueDayOf, dueHourOf, listingFields, transactionKeyOf } from './derived.ts';
import type { CaseRecord } from './model.ts';
import { nextDueAt } from './mutations.ts';
import type { ReferenceAllocator } from './references.ts';
import type { CaseRepository } from './repository.ts';
import type { CaseView, FileComplaint } from './schemas.ts';
import { GENESIS_HASH, sealEntry } from './timeline.ts';
import type { ToCaseView } from './views.ts';
import { complainantFactsOf, type ComplainantFacts } from './facts.ts';

export interface FilingDeps {
  users: Pick<UserService, 'findById'>;
  clock: Clock;
  references: Pick<ReferenceAllocator, 'next'>;
  repository: Pick<CaseRepository, 'insertNew'>;
  /** The machine new cases are filed under (MACHINE_VERSION). */
  machine: ComplaintMachine;
  policy: WorkflowPolicy;
  toView: ToCaseView;
}

/**
 * Whose case a filing opens, once the input is checked against the filer: no transaction in
 * the future, an officer names an existing complainant, a complainant files for themselves.
 */
export async function ownerOfFiling(
  users: FilingDeps['users'],
  actor: Pick<AuthenticatedUser, 'id' | 'role'>,
  input: Pick<FileComplaint, 'transaction' | 'complainantId'>,
  now: Date,
): Promise<string> {
  if (Date.parse(input.transaction.occurredAt) > now.getTime()) {
    throw new ValidationError('The transaction date is in the future.', [
      { path: 'transaction.occurredAt', message: 'must not be in the future' },
    ]);
  }
  if (actor.role === 'officer') {
    if (!input.complainantId) {
      throw new ValidationError('Officers filing on behalf of someone name the complainant.', [
        { path: 'complainantId', message: 'required when an officer files' },
      ]);
    }
    const complainant = await users.findById(input.complainantId);
    if (!complainant || complainant.role !== 'complainant') {
      throw new UnprocessableError('complainantId does not name a complainant account.');
    }
    return input.complainantId;
  }
  if (input.complainantId && input.complainantId !== actor.id) {
    throw new ForbiddenError('Complainants file complaints for themselves only.');
  }
  return actor.id;
}

/** What the machine reads of a complaint as filed, by the owner as their account is now. */
function filedFacts(
  input: FileComplaint,
  ownerId: string,
  complainant: ComplainantFacts,
): CaseFacts {
  return {
    jurisdiction: input.jurisdiction,
    category: input.category,
    respondent: input.respondent,
    complainant,
    finalResponseAt: null,
    transaction: { occurredAt: input.transaction.occurredAt, amount: input.transaction.amount },
    narrative: input.narrative,
    desiredOutcome: input.desiredOutcome,
    evidenceCount: 0,
    ownerId,
    assigneeId: null,
  };
}

interface NewCase {
  actor: Pick<AuthenticatedUser, 'id' | 'role'>;
  input: FileComplaint;
  ownerId: string;
  reference: string;
  initial: ReturnType<typeof initialCase>;
  deadlines: CaseRecord['deadlines'];
  now: Date;
}

/** The stored case a filing creates, its first timeline entry (FILED) sealed on genesis. */
export function newCaseRecord(filing: NewCase): CaseRecord {
  const { actor, input, ownerId, reference, initial, deadlines, now } = filing;
  const entry = sealEntry(GENESIS_HASH, {
    seq: 1,
    at: now.toISOString(),
    type: 'FILED',
    actor: { id: actor.id, role: actor.role },
    fromState: null,
    toState: initial.state,
    data: {
      reference,
      category: input.category,
      jurisdiction: input.jurisdiction,
      channel: input.channel,
      amount: input.transaction.amount,
      ...(ownerId !== actor.id ? { onBehalfOf: ownerId } : {}),
    },
  });
  return {
    _id: new Types.ObjectId(),
    reference,
    machineVersion: MACHINE_VERSION,
    state: initial.state,
    stateValue: initial.value,
    context: initial.context,
    version: 1,
    ownerId: new Types.ObjectId(ownerId),
    filedById: new Types.ObjectId(actor.id),
    assigneeId: null,
    category: input.category,
    urgent: isUrgent(input.category),
    jurisdiction: input.jurisdiction,
    locale: input.locale,
    channel: input.channel,
    respondent: input.respondent,
    transaction: {
      occurredAt: new Date(input.transaction.occurredAt),
      ...(input.transaction.reference ? { reference: input.transaction.reference } : {}),
      amount: input.transaction.amount,
    },
    transactionKey: transactionKeyOf(input.transaction.reference),
    narrative: input.narrative,
    desiredOutcome: input.desiredOutcome,
    consumerBody: initial.context.consumerBody,
    deadlines,
    nextDueAt: nextDueAt(deadlines),
    dueHour: dueHourOf(nextDueAt(deadlines)),
    dueDay: dueDayOf(nextDueAt(deadlines)),
    overdue: false,
    evidenceCount: 0,
    timeline: [entry],
    lastHash: entry.hash,
    filedAt: now,
    updatedAt: now,
    ...listingFields({ state: initial.state, assigneeId: null, reference }),
  };
}

/** Files a complaint: the machine's initial state, its deadlines and the first timeline entry. */
export function createFiling(deps: FilingDeps) {
  const { users, clock, references, repository, machine, policy, toView } = deps;
  return async function file(actor: AuthenticatedUser, input: FileComplaint): Promise<CaseView> {
    const now = clock.now();
    const ownerId = await ownerOfFiling(users, actor, input, now);
    const at = now.toISOString();
    const facts = filedFacts(input, ownerId, complainantFactsOf(await users.findById(ownerId)));
    const initial = initialCase(machine, { actor: actor as Actor, at, facts });
    const deadlines = applyDeadlineActions([], initial.actions, at, facts, policy);
    const reference = await references.next(now.getUTCFullYear());
    const record = newCaseRecord({ actor, input, ownerId, reference, initial, deadlines, now });
    // The journal entry goes first so the filing's notifications cannot be lost once the case
    // exists (repository.ts, insertNew).
    await repository.insertNew(record, outboxItems(initial.actions, 1, ownerId, null, at));
    return toView(record, actor);
  };
}
