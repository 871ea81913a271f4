import { abandonedAfter, writerGoneAfter } from './shard-adoption.ts';
import type { Collection } from 'mongodb';
import { DEFAULT_POLICY, describeWorkflow, type WorkflowPolicy } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import type { UserService } from '../users/service.ts';
import { createCaseBrowsing } from './browsing.ts';
import { createCommit } from './committing.ts';
import { createFiling } from './filing.ts';
import type { CaseChangeModel, CaseChangeRecord } from './journal.ts';
import { createCaseLister } from './list-cases.ts';
import { createDueCaseFinder, createReadModelMigrations } from './maintenance.ts';
import type { CaseModel, CaseRecord, CaseTermsModel, CounterModel } from './model.ts';
import { createNoteAdding } from './note-adding.ts';
import { createCaseReadModels } from './read-models.ts';
import { createCaseReading } from './reading.ts';
import { createReferenceAllocator } from './references.ts';
import { createCaseRepository, STALE_CHANGE_MS } from './repository.ts';
import { createCountRepair } from './count-repair.ts';
import { createEventApplying, createEventSending } from './sending.ts';
import { createDeadlineSweep } from './sweeping.ts';
import { createCaseViews, createMachines } from './views.ts';
import { createFactsLoader } from './facts.ts';

export interface CaseServiceDeps {
  cases: CaseModel;
  changes: CaseChangeModel;
  counters: CounterModel;
  terms: CaseTermsModel;
  users: UserService;
  clock: Clock;
  policy?: WorkflowPolicy;
  /** How often `repairCounts` runs in every process (the count-repair loop's interval). */
  repairIntervalMs?: number;
}

export type CaseService = ReturnType<typeof createCaseService>;
export { nextDueAt } from './mutations.ts';
export type { CaseChange } from './committing.ts';
export { STALE_CHANGE_MS } from './repository.ts';
export { SYSTEM_ACTOR, type CaseActor } from './actors.ts';
export { factsOf } from './views.ts';

/** What the use cases read and write: the repository, and the read models lists use. */
function caseStores(deps: CaseServiceDeps) {
  const { cases, changes, users, clock } = deps;
  const readModels = createCaseReadModels(cases.db.db!);
  const repository = createCaseRepository({
    cases: cases.collection as unknown as Collection<CaseRecord>,
    changes: changes.collection as unknown as Collection<CaseChangeRecord>,
    readModels,
    clock,
  });
  const lister = createCaseLister({
    cases,
    terms: deps.terms,
    directory: readModels.directory,
    userIdByEmail: async (email) => (await users.findByEmail(email))?._id.toHexString() ?? null,
    counts: () => readModels.counts.totals(),
  });
  return { readModels, repository, lister };
}

/**
 * The case use cases: filing (filing.ts), reading one case and its timeline (reading.ts),
 * sending an event (sending.ts), notes (note-adding.ts), lists and counts (browsing.ts,
 * list-cases.ts) and the deadline sweep (sweeping.ts), all writing through the repository
 * (repository.ts) and deciding with the pure machine (workflows/).
 */
export function createCaseService(deps: CaseServiceDeps) {
  const { cases, counters, users, clock } = deps;
  const { readModels, repository, lister } = caseStores(deps);
  const policy = deps.policy ?? DEFAULT_POLICY;
  const { current: machine, machineFor } = createMachines(policy);
  const { toView, toCaseView } = createCaseViews({
    machineFor,
    policy,
    clock,
    factsOf: createFactsLoader(users),
  });
  const commit = createCommit({ repository });
  const rollForward = (record: CaseRecord) => repository.rollForward(record);
  const reading = createCaseReading({
    findCase: (id) => cases.findById(id).lean<CaseRecord>(),
    rollForward,
    toView: toCaseView,
  });
  const { loadVisible } = reading;
  const browsing = createCaseBrowsing({
    lister,
    totals: () => readModels.counts.totals(),
    toView,
  });
  const applyToRecord = createEventApplying({ users, clock, machineFor, policy, commit });

  return {
    machine,
    backfillListingFields: createReadModelMigrations({ cases, counters, readModels })
      .backfillListingFields,

    /**
     * Records a change that is not a workflow event (evidence added, ...) through the same
     * claim, timeline and journal as transitions. Throws ConflictError when `record` is stale.
     */
    commitChange: commit,

    policy,
    toView,
    loadVisible,

    file: createFiling({
      users,
      clock,
      references: createReferenceAllocator(counters.db.db!),
      repository,
      machine,
      policy,
      toView: toCaseView,
    }),

    get: reading.get,

    queueCounts: browsing.queueCounts,
    list: browsing.list,
    applyEvent: createEventSending({ loadVisible, applyToRecord, toView: toCaseView }),
    timeline: reading.timeline,
    addNote: createNoteAdding({ loadVisible, commit, clock }),

    describeWorkflow() {
      return describeWorkflow(machine, policy);
    },

    sweepDeadlines: createDeadlineSweep({
      dueCases: createDueCaseFinder({ cases, counters }),
      loadCurrent: async (id) => {
        const found = await cases.findById(id).lean<CaseRecord>();
        return found && rollForward(found);
      },
      applyToRecord,
      commit,
      clock,
    }),

    /** Finishes counting changes whose writer stopped before it counted them (count-repair.ts). */
    repairCounts: createCountRepair({
      changes: deps.changes.collection as unknown as Collection<CaseChangeRecord>,
      cases: cases.collection as unknown as Collection<CaseRecord>,
      counts: readModels.counts,
      clock,
      staleMs: STALE_CHANGE_MS,
      abandonedMs: abandonedAfter(deps.repairIntervalMs ?? 30_000),
      writerGoneMs: writerGoneAfter(deps.repairIntervalMs ?? 30_000),
      rollForward,
    }),
  };
}
