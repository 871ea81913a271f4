import { Types } from 'mongoose';
import type { Clock } from '../clock.ts';
import { insertManyTolerating, isDuplicateKey } from '../db/duplicate-key.ts';
import { ConflictError } from '../errors.ts';
import type { Collection } from 'mongodb';
import { changeId, genesisChange, type CaseChangeRecord, type OutboxItem } from './journal.ts';
import type { CaseRecord } from './model.ts';
import { caseUpdateFor, type CaseMutation } from './mutations.ts';
import { countDelta } from './queue-counts.ts';
import type { CaseReadModels } from './read-models.ts';
import { sealEntry, type TimelineEntry } from './timeline.ts';

/**
 * Inserts a document whose `_id` this process just made. A duplicate key on it can only be
 * this insert itself, landed by an attempt whose answer was lost (the driver retries a write
 * once after a network error, e.g. a FerretDB killed mid-request): that is success. A duplicate
 * on another unique field (a reference) is still an error.
 */
async function insertOwn<T extends { _id: unknown }>(
  collection: Collection<T>,
  doc: T,
): Promise<void> {
  try {
    await collection.insertOne(doc as never);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    if (!(await collection.findOne({ _id: doc._id } as never))) throw error;
  }
}

/** How long a claimed change may sit unapplied before others assume its writer died. */
export const STALE_CHANGE_MS = 30_000;

export interface AppendedChange {
  entry: Omit<TimelineEntry, 'prevHash' | 'hash' | 'seq'>;
  mutations: readonly CaseMutation[];
  /** The emails the change asks for, given its sealed entry's number. */
  notifications(entrySeq: number): OutboxItem[];
}

export interface CaseRepositoryDeps {
  cases: Collection<CaseRecord>;
  changes: Collection<CaseChangeRecord>;
  readModels: CaseReadModels;
  clock: Clock;
}

/**
 * The only code that writes case documents and their journal: filing, appending a change
 * (the version claim, the sealed entry, the outbox), and rolling forward a dead writer's
 * change. The database quirks it relies on are in server/db/ (see
 * docs/database-compatibility.md); the derived read models move with every write here.
 */
export function createCaseRepository(deps: CaseRepositoryDeps) {
  const { cases, changes, readModels, clock } = deps;

  const markCounted = (batch: string) =>
    changes.updateMany({ countBatch: batch }, { $set: { counted: true } });

  /** Folds a batch's stored deltas into this process's shard, once (queue-counts.ts). */
  function fold(batch: string, delta: Record<string, number>): Promise<void> {
    return readModels.counts.fold(batch, delta, markCounted);
  }

  /**
   * Applies a claimed change to the case document; harmless when it is already there. True
   * when this call changed the document (so its queue counts move once).
   */
  async function applyUpdate(
    caseId: Types.ObjectId,
    version: number,
    set: Record<string, unknown>,
    push: Record<string, unknown[]>,
  ): Promise<boolean> {
    const pushEach = Object.fromEntries(
      Object.entries(push).map(([field, items]) => [field, { $each: items }]),
    );
    const result = await cases.updateOne({ _id: caseId, version: version - 1 }, {
      $set: set,
      $push: pushEach,
    } as never);
    return result.modifiedCount === 1;
  }

  return {
    async findById(id: string | Types.ObjectId): Promise<CaseRecord | null> {
      if (typeof id === 'string' && !Types.ObjectId.isValid(id)) return null;
      return cases.findOne({ _id: new Types.ObjectId(id) });
    },

    /**
     * Stores a new case: its journal entry first, so the filing's notifications cannot be
     * lost once the case exists (a new `_id` needs no version claim, so the entry is born
     * applied; if the process dies before the case insert, the client saw an error and the
     * dispatcher skips notifications of cases that do not exist), then the read models, so a
     * case that exists is always listed and searchable, then the case.
     */
    async insertNew(record: CaseRecord, notifications: OutboxItem[]): Promise<void> {
      const at = record.filedAt;
      const genesis = genesisChange(record, notifications, at, readModels.counts.newBatch());
      await insertOwn(changes, genesis);
      await readModels.writeFor([record]);
      await insertOwn(cases, record);
      await fold(genesis.countBatch!, genesis.countDelta!);
    },

    /**
     * Stores imported cases in bulk, in the same order as filing does. Returns the indexes of
     * the cases refused as duplicates (written by a run that raced this one, or whose
     * reference collided); only the others are counted.
     */
    async insertManyNew(records: readonly CaseRecord[], at: Date): Promise<Set<number>> {
      if (records.length === 0) return new Set();
      const batch = readModels.counts.newBatch();
      const genesis = records.map((record) => genesisChange(record, [], at, batch));
      // An entry left by an interrupted run keeps its own batch: the repair pass counts it.
      const older = await insertManyTolerating(changes, genesis);
      await readModels.writeFor(records);
      const refused = await insertManyTolerating(cases, records);
      const sum: Record<string, number> = {};
      genesis.forEach((entry, index) => {
        if (older.has(index) || refused.has(index)) return;
        for (const [key, value] of Object.entries(entry.countDelta!))
          sum[key] = (sum[key] ?? 0) + value;
      });
      await fold(batch, sum);
      return refused;
    },

    /** Removes the journal entry of a case whose insert was refused, so it can be filed anew. */
    async discardUnwritten(caseId: Types.ObjectId): Promise<void> {
      await changes.deleteOne({ _id: changeId(caseId, 1) });
    },

    /**
     * Writes one change of a case: first its journal entry (the atomic claim on the next
     * version, carrying the sealed timeline entry, what the change does and the
     * notifications), then the case document in one update. A writer that lost the race for
     * the version gets a conflict; nothing is half-applied, and a change whose writer died
     * after the claim is rolled forward when the case is next read.
     */
    async append(record: CaseRecord, change: AppendedChange): Promise<CaseRecord> {
      const version = record.version + 1;
      const seq = record.timeline.length + 1;
      const entry = sealEntry(record.lastHash, { seq, ...change.entry });
      const mutations = [...change.mutations];
      const { set, push } = caseUpdateFor(record, mutations, entry, version);
      const notifications = change.notifications(seq);
      const next: CaseRecord = { ...record, ...(set as Partial<CaseRecord>) };
      for (const [field, items] of Object.entries(push)) {
        const current = (record as unknown as Record<string, unknown[] | undefined>)[field] ?? [];
        (next as unknown as Record<string, unknown[]>)[field] = [...current, ...items];
      }
      const delta = countDelta(record, next);
      const countBatch = readModels.counts.newBatch();
      try {
        await changes.insertOne({
          _id: changeId(record._id, version),
          caseId: record._id,
          version,
          at: new Date(entry.at),
          mutations,
          entry,
          notifications,
          // The claim is the commit point: once inserted, the change happens, now or (if this
          // process dies before the update below) when the case is next read.
          applied: true,
          relayed: notifications.length === 0,
          countDelta: delta,
          counted: false,
          countBatch,
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        throw new ConflictError('The case was changed by someone else; reload it and try again.', {
          currentVersion: version,
        });
      }
      const applied = await applyUpdate(record._id, version, set, push);
      // Not applied here: a roll-forward did it, and counted it.
      if (applied) await fold(countBatch, delta);
      return next;
    },

    /**
     * Brings a case up to its journal: a writer that claimed the next version and then died
     * left its change only there. Fresh claims belong to live writers and are left alone. One
     * `_id` lookup a read, which FerretDB answers by index.
     */
    async rollForward(record: CaseRecord): Promise<CaseRecord> {
      let current = record;
      for (let round = 0; round < 100; round++) {
        const pending = await changes.findOne({ _id: changeId(current._id, current.version + 1) });
        if (!pending) return current;
        if (clock.now().getTime() - new Date(pending.at).getTime() < STALE_CHANGE_MS) {
          return current;
        }
        const before = current;
        // Entries written before mutations were recorded carry the update itself.
        const update = pending.mutations
          ? caseUpdateFor(current, pending.mutations, pending.entry, pending.version)
          : { set: pending.set ?? {}, push: pending.push ?? {} };
        const applied = await applyUpdate(current._id, pending.version, update.set, update.push);
        current = (await cases.findOne({ _id: current._id })) ?? current;
        if (applied) {
          // The dead writer's stored delta if it had one; older entries count what changed.
          // Another process's batch is left to the repair pass, which folds it once that
          // process is gone: if it is alive, its own update may have landed too, and then it
          // folds the batch itself (count-repair.ts).
          if (pending.countBatch && pending.countDelta) {
            const ours = readModels.counts.made(pending.countBatch);
            if (!pending.counted && ours) await fold(pending.countBatch, pending.countDelta);
          } else await readModels.counts.apply(countDelta(before, current));
        }
      }
      return current;
    },
  };
}
export type CaseRepository = ReturnType<typeof createCaseRepository>;
