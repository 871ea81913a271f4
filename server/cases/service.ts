import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import {
  MACHINE_VERSION,
  allowedEventsFor,
  applyDeadlineActions,
  createComplaintMachine,
  decide,
  describeWorkflow,
  dueDeadlines,
  initialCase,
  isUrgent,
  settleDeadlines,
  toWorkflowEvent,
  DEFAULT_POLICY,
  type Actor,
  type CaseFacts,
  type ComplaintMachine,
  type Deadline,
  type EventPayload,
  type WorkflowAction,
  type WorkflowPolicy,
} from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import {
  ConflictError,
  ForbiddenError,
  GuardRefusedError,
  InvalidTransitionError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../errors.ts';
import type { AuthenticatedUser, UserService } from '../users/service.ts';
import type { CaseModel, CaseRecord, CaseTermsModel, CounterModel } from './model.ts';
import { dueHourOf, listingFields } from './derived.ts';
import { createCaseLister } from './list-cases.ts';
import { createCaseReadModels } from './read-models.ts';
import { createCaseRepository } from './repository.ts';
import { createDueCaseFinder, createReadModelMigrations } from './maintenance.ts';
import { nextDueAt, type CaseMutation } from './mutations.ts';
import { createReferenceAllocator } from './references.ts';
import type { CaseChangeModel, CaseChangeRecord, OutboxItem } from './journal.ts';
import type { Collection } from 'mongodb';
import type { CaseView, FileComplaint, ListCasesQuery } from './schemas.ts';
import { GENESIS_HASH, sealEntry, verifyChain, type TimelineEntry } from './timeline.ts';
import { retryOnConflict } from './retry.ts';
import { NOTE_ENTRY, visibleEntries } from './notes.ts';

export interface CaseServiceDeps {
  cases: CaseModel;
  changes: CaseChangeModel;
  counters: CounterModel;
  terms: CaseTermsModel;
  users: UserService;
  clock: Clock;
  policy?: WorkflowPolicy;
}

export type CaseService = ReturnType<typeof createCaseService>;
export { nextDueAt } from './mutations.ts';

/**
 * What one change does: a timeline entry, and a workflow step and/or evidence changes, in
 * domain terms (server/cases/mutations.ts); never database operators.
 */
export interface CaseChange {
  entry: Omit<TimelineEntry, 'prevHash' | 'hash' | 'seq'>;
  workflow?: {
    state: string;
    stateValue: unknown;
    context: CaseRecord['context'];
    deadlines: Deadline[];
    actions: readonly WorkflowAction[];
  };
  evidence?: Exclude<CaseMutation, { kind: 'workflow' }>;
}

export { STALE_CHANGE_MS } from './repository.ts';

/** Who acts: a signed-in user, or the system (deadlines). */
export type CaseActor = Pick<AuthenticatedUser, 'id' | 'role'> | { id: 'system'; role: 'system' };

export const SYSTEM_ACTOR: CaseActor = { id: 'system', role: 'system' };

export function factsOf(record: CaseRecord): CaseFacts {
  return {
    jurisdiction: record.jurisdiction,
    category: record.category as CaseFacts['category'],
    respondent: record.respondent,
    transaction: {
      occurredAt: record.transaction.occurredAt.toISOString(),
      amount: record.transaction.amount,
    },
    narrative: record.narrative,
    desiredOutcome: record.desiredOutcome,
    evidenceCount: record.evidenceCount,
    ownerId: record.ownerId.toHexString(),
    assigneeId: record.assigneeId?.toHexString() ?? null,
  };
}

function verdictFields(verdict: ReturnType<typeof verifyChain>) {
  return verdict.verified
    ? { verified: true }
    : { verified: false, brokenAt: verdict.brokenAt, problem: verdict.problem };
}

export function createCaseService(deps: CaseServiceDeps) {
  const { cases, changes, counters, users, clock } = deps;
  const readModels = createCaseReadModels(cases.db.db!);
  const repository = createCaseRepository({
    cases: cases.collection as unknown as Collection<CaseRecord>,
    changes: changes.collection as unknown as Collection<CaseChangeRecord>,
    readModels,
    clock,
  });
  const dueCases = createDueCaseFinder({ cases, counters });
  const migrations = createReadModelMigrations({ cases, counters, readModels });
  const directory = readModels.directory;
  const lister = createCaseLister({
    cases,
    terms: deps.terms,
    directory,
    userIdByEmail: async (email) => (await users.findByEmail(email))?._id.toHexString() ?? null,
    counts: () => readModels.counts.totals(),
  });
  const references = createReferenceAllocator(counters.db.db!);
  const policy = deps.policy ?? DEFAULT_POLICY;
  // Cases keep the rules they were filed under: one machine per stored machineVersion.
  const machines: Record<number, ComplaintMachine> = {
    [MACHINE_VERSION]: createComplaintMachine(policy),
  };

  function machineFor(record: Pick<CaseRecord, 'machineVersion'>): ComplaintMachine {
    const machine = machines[record.machineVersion];
    if (!machine) throw new Error(`no workflow machine for version ${record.machineVersion}`);
    return machine;
  }

  function toView(record: CaseRecord, actor: CaseActor | undefined): CaseView {
    const context = record.context;
    return {
      id: record._id.toHexString(),
      reference: record.reference,
      state: record.state,
      version: record.version,
      machineVersion: record.machineVersion,
      category: record.category as CaseView['category'],
      urgent: record.urgent,
      jurisdiction: record.jurisdiction,
      locale: record.locale,
      channel: record.channel,
      respondent: record.respondent,
      transaction: {
        occurredAt: record.transaction.occurredAt.toISOString(),
        ...(record.transaction.reference ? { reference: record.transaction.reference } : {}),
        amount: record.transaction.amount,
      },
      narrative: record.narrative,
      desiredOutcome: record.desiredOutcome,
      ownerId: record.ownerId.toHexString(),
      assigneeId: record.assigneeId?.toHexString() ?? null,
      consumerBody: record.consumerBody,
      overdue: record.overdue,
      deadlines: record.deadlines,
      evidenceCount: record.evidenceCount,
      outcome: {
        response: context.responseOutcome,
        holdingResponse: context.holdingResponse,
        bodyReference: context.bodyReference,
        bodyDecision: context.bodyDecision,
        legalOutcome: context.legalOutcome,
      },
      filedAt: record.filedAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      allowedEvents: actor
        ? allowedEventsFor(
            machineFor(record),
            { value: record.stateValue as never, context },
            actor as Actor,
            { ownerId: record.ownerId.toHexString() },
          )
        : [],
    };
  }

  /** Loads a case the actor may see; a complainant probing someone else's case gets 404. */
  async function loadVisible(actor: CaseActor, id: string): Promise<CaseRecord> {
    const found = Types.ObjectId.isValid(id) ? await cases.findById(id).lean<CaseRecord>() : null;
    if (!found) throw new NotFoundError('case');
    if (actor.role === 'complainant' && !found.ownerId.equals(actor.id)) {
      throw new NotFoundError('case');
    }
    return catchUp(found);
  }

  function outboxItems(
    actions: readonly WorkflowAction[],
    entrySeq: number,
    ownerId: string,
    assigneeId: string | null,
    at: string,
  ): OutboxItem[] {
    const items: OutboxItem[] = [];
    for (const action of actions) {
      if (action.type !== 'notify') continue;
      const recipientId = action.params.to === 'complainant' ? ownerId : assigneeId;
      if (!recipientId) continue;
      items.push({
        id: randomUUID(),
        template: action.params.template,
        recipientId,
        entrySeq,
        createdAt: at,
      });
    }
    return items;
  }

  /** Appends one change through the repository, with the emails its workflow actions ask for. */
  function commit(record: CaseRecord, change: CaseChange): Promise<CaseRecord> {
    const workflow = change.workflow;
    const mutations: CaseMutation[] = [
      ...(workflow
        ? [
            {
              kind: 'workflow' as const,
              state: workflow.state,
              stateValue: workflow.stateValue,
              context: workflow.context,
              deadlines: workflow.deadlines,
            },
          ]
        : []),
      ...(change.evidence ? [change.evidence] : []),
    ];
    return repository.append(record, {
      entry: change.entry,
      mutations,
      notifications: (seq) =>
        outboxItems(
          workflow?.actions ?? [],
          seq,
          record.ownerId.toHexString(),
          workflow?.context.assigneeId ?? null,
          change.entry.at,
        ),
    });
  }

  const catchUp = (record: CaseRecord) => repository.rollForward(record);

  async function applyToRecord(
    record: CaseRecord,
    actor: CaseActor,
    payload: EventPayload,
  ): Promise<CaseRecord> {
    const at = clock.now().toISOString();
    const facts = factsOf(record);
    const machine = machineFor(record);
    if (payload.type === 'ASSIGN') {
      const officer = await users.findById(payload.officerId);
      if (!officer || officer.role !== 'officer' || officer.disabled) {
        throw new UnprocessableError('officerId does not name an active officer.');
      }
    }
    const event = toWorkflowEvent(payload, { actor: actor as Actor, at, facts });
    const decision = decide(
      machine,
      { value: record.stateValue as never, context: record.context },
      event,
    );
    if (!decision.ok) {
      if (decision.code === 'not_accepted') {
        throw new InvalidTransitionError(payload.type, record.state, decision.allowedEvents);
      }
      if (decision.code === 'forbidden') throw new ForbiddenError(decision.reason);
      throw new GuardRefusedError(decision.reason);
    }
    const deadlines = applyDeadlineActions(record.deadlines, decision.actions, at, facts, policy);
    const { type: _type, ...data } = payload;
    return commit(record, {
      workflow: {
        state: decision.state,
        stateValue: decision.value,
        context: decision.context,
        deadlines,
        actions: decision.actions,
      },
      entry: {
        at,
        type: payload.type,
        actor: { id: actor.id, role: actor.role },
        fromState: record.state,
        toState: decision.state,
        data,
      },
    });
  }

  return {
    machine: machines[MACHINE_VERSION]!,
    backfillListingFields: migrations.backfillListingFields,

    /**
     * Records a change that is not a workflow event (evidence added, ...) through the same
     * claim, timeline and journal as transitions. Throws ConflictError when `record` is stale.
     */
    commitChange: commit,

    policy,
    toView,
    loadVisible,

    /** Files a complaint: the machine's initial state, its deadlines and the first timeline entry. */
    async file(actor: AuthenticatedUser, input: FileComplaint): Promise<CaseView> {
      const now = clock.now();
      if (Date.parse(input.transaction.occurredAt) > now.getTime()) {
        throw new ValidationError('The transaction date is in the future.', [
          { path: 'transaction.occurredAt', message: 'must not be in the future' },
        ]);
      }
      let ownerId = actor.id;
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
        ownerId = input.complainantId;
      } else if (input.complainantId && input.complainantId !== actor.id) {
        throw new ForbiddenError('Complainants file complaints for themselves only.');
      }

      const at = now.toISOString();
      const id = new Types.ObjectId();
      const facts: CaseFacts = {
        jurisdiction: input.jurisdiction,
        category: input.category,
        respondent: input.respondent,
        transaction: { occurredAt: input.transaction.occurredAt, amount: input.transaction.amount },
        narrative: input.narrative,
        desiredOutcome: input.desiredOutcome,
        evidenceCount: 0,
        ownerId,
        assigneeId: null,
      };
      const initial = initialCase(machines[MACHINE_VERSION]!, { actor: actor as Actor, at, facts });
      const deadlines = applyDeadlineActions([], initial.actions, at, facts, policy);
      const reference = await references.next(now.getUTCFullYear());
      const entry = sealEntry(GENESIS_HASH, {
        seq: 1,
        at,
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
      const record: CaseRecord = {
        _id: id,
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
        narrative: input.narrative,
        desiredOutcome: input.desiredOutcome,
        consumerBody: initial.context.consumerBody,
        deadlines,
        nextDueAt: nextDueAt(deadlines),
        dueHour: dueHourOf(nextDueAt(deadlines)),
        overdue: false,
        evidenceCount: 0,
        timeline: [entry],
        lastHash: entry.hash,
        filedAt: now,
        updatedAt: now,
        ...listingFields({ state: initial.state, assigneeId: null, reference }),
      };
      // The journal entry goes first so the filing's notifications cannot be lost once the case
      // exists. Filing needs no version claim (a new _id cannot collide), so the entry is born
      // applied; if the process dies before the case insert, the client saw an error, and the
      // dispatcher skips notifications whose case does not exist.
      await repository.insertNew(record, outboxItems(initial.actions, 1, ownerId, null, at));
      return toView(record, actor);
    },

    async get(actor: AuthenticatedUser, id: string): Promise<CaseView> {
      return toView(await loadVisible(actor, id), actor);
    },

    /** The officers' dashboard: open cases by queue (`mine` for the asking officer). */
    async queueCounts(actor: AuthenticatedUser) {
      const totals = await readModels.counts.totals();
      const at = (key: string) => totals[key] ?? 0;
      return {
        total: at('total'),
        open: at('open'),
        queues: {
          triage: at('triage'),
          mine: at(`mine:${actor.id}`),
          unassigned: at('unassigned'),
          overdue: at('overdue'),
          urgent: at('urgent'),
          awaiting_complainant: at('awaiting_complainant'),
          awaiting_bank: at('awaiting_bank'),
          escalated: at('escalated'),
        },
      };
    },

    /** Newest first (by reference), by cursor; complainants only ever see their own cases. */
    async list(actor: AuthenticatedUser, query: ListCasesQuery) {
      const { records, nextCursor } = await lister.list(actor, query);
      return {
        items: records.map((record) => {
          const { allowedEvents: _allowed, ...view } = toView(record, undefined);
          return view;
        }),
        nextCursor,
      };
    },

    /**
     * Sends one workflow event. `expectedVersion`, when given, must match the stored version
     * (optimistic concurrency for clients); either way the update itself is version-guarded.
     */
    async applyEvent(
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
    },

    /**
     * The history as the actor may see it: internal notes are left out for the complainant,
     * but the verdict is always computed on the whole chain, so it stays true for them too.
     */
    async timeline(actor: AuthenticatedUser, id: string) {
      const record = await loadVisible(actor, id);
      return {
        caseId: record._id.toHexString(),
        reference: record.reference,
        entries: visibleEntries(record.timeline, actor.role),
        ...verdictFields(verifyChain(record.timeline)),
      };
    },

    /**
     * Adds an internal note: a NOTE entry in the hash chain, with no workflow step, no
     * deadline change and no email. Notes are additive, so there is no version check: a note
     * that loses the version claim to another writer reloads the case and tries again.
     */
    async addNote(actor: AuthenticatedUser, id: string, text: string): Promise<TimelineEntry> {
      return retryOnConflict(async () => {
        const record = await loadVisible(actor, id);
        const next = await commit(record, {
          entry: {
            at: clock.now().toISOString(),
            type: NOTE_ENTRY,
            actor: { id: actor.id, role: actor.role },
            fromState: record.state,
            toState: record.state,
            data: { text },
          },
        });
        return next.timeline.at(-1)!;
      }, 40);
    },

    describeWorkflow() {
      return describeWorkflow(machines[MACHINE_VERSION]!, policy);
    },

    /**
     * Fires DEADLINE_PASSED for every due deadline, found through the nextDueAt index. Several
     * instances may sweep at once: the version guard lets one firing win and the others fail
     * harmlessly. A deadline the state does not react to is still recorded as missed, so it is
     * never found again.
     */
    async sweepDeadlines(batchSize = 100): Promise<{ fired: number; conflicts: number }> {
      const now = clock.now();
      const nowIso = now.toISOString();
      const due = await dueCases.find(now, batchSize);
      let fired = 0;
      let conflicts = 0;
      for (const { _id } of due) {
        for (let round = 0; round < 8; round++) {
          const found = await cases.findById(_id).lean<CaseRecord>();
          const record = found && (await catchUp(found));
          const deadline = record && dueDeadlines(record.deadlines, nowIso)[0];
          if (!record || !deadline) break;
          try {
            await applyToRecord(record, SYSTEM_ACTOR, {
              type: 'DEADLINE_PASSED',
              deadline: deadline.kind,
            });
            fired++;
          } catch (error) {
            if (error instanceof ConflictError) {
              conflicts++;
              break;
            }
            if (!(error instanceof InvalidTransitionError || error instanceof GuardRefusedError))
              throw error;
            try {
              await commit(record, {
                workflow: {
                  state: record.state,
                  stateValue: record.stateValue,
                  context: record.context,
                  deadlines: settleDeadlines(record.deadlines, [deadline.kind], 'missed', nowIso),
                  actions: [],
                },
                entry: {
                  at: nowIso,
                  type: 'DEADLINE_PASSED',
                  actor: { id: 'system', role: 'system' },
                  fromState: record.state,
                  toState: record.state,
                  data: { deadline: deadline.kind },
                },
              });
              fired++;
            } catch (commitError) {
              if (!(commitError instanceof ConflictError)) throw commitError;
              conflicts++;
              break;
            }
          }
        }
      }
      return { fired, conflicts };
    },
  };
}
