import type { Collection } from 'mongodb';
import type { Clock } from '../clock.ts';
import type { CaseChangeRecord } from './journal.ts';
import type { CaseRecord } from './model.ts';
import { writerOf, type QueueCounts } from './queue-counts.ts';
import { createShardAdoption, createStallWatch } from './shard-adoption.ts';

/** How many uncounted journal entries one pass looks at. */
const BATCH = 500;
/**
 * How old an entry of a case that does not exist must be before it is taken to count nothing:
 * until then its writer may still be about to insert the case (and fold the entry itself).
 */
export const UNWRITTEN_AFTER_MS = 10 * 60_000;

/**
 * Finishes the counting of changes whose writer stopped between writing the case and folding
 * its count delta (a crash, `kill -9`, the database going away mid-request): the journal
 * entries still `counted: false` after the stale period, by equality, so an idle pass costs
 * one index probe. A batch some shard already folded is only marked; a genesis entry whose
 * case was never written counts nothing (once its writer has surely given up); a change not yet
 * applied is rolled forward, which counts it; the rest is folded into this process's shard.
 *
 * A writer of this process held up past the stale period (a database outage) may still fold
 * its batch while this pass does: queue-counts.ts folds a batch once per process whoever asks
 * first, so the two never both count it. Another process cannot know that, so a batch named
 * after another process's shard waits until that shard has stood still for `writerGoneMs`:
 * the process is gone, or what it was holding has landed or been given up.
 */
export function createCountRepair(deps: {
  changes: Collection<CaseChangeRecord>;
  cases: Collection<CaseRecord>;
  counts: QueueCounts;
  clock: Clock;
  staleMs: number;
  /** How long another process's shard must stand still to be taken over (shard-adoption.ts). */
  abandonedMs: number;
  /** How long another process's shard must stand still before this one counts its batches. */
  writerGoneMs: number;
  rollForward(record: CaseRecord): Promise<CaseRecord>;
}) {
  const { changes, cases, counts, clock } = deps;
  const markCounted = (batch: string) =>
    changes.updateMany({ countBatch: batch }, { $set: { counted: true } });
  const adoptAbandoned = createShardAdoption({
    counts,
    clock,
    abandonedMs: deps.abandonedMs,
    markCounted,
  });
  const writers = createStallWatch();

  /** The batches whose writer is this process, or gone, or unknown (made before they named it). */
  async function ownedOrLeft(batches: ReadonlySet<string>): Promise<string[]> {
    const now = clock.now().getTime();
    const shards = new Map((await counts.all()).map((shard) => [shard._id, shard]));
    const named = new Set<string>();
    const ready = [...batches].filter((batch) => {
      if (counts.made(batch)) return true;
      const writer = writerOf(batch)!;
      named.add(writer);
      return writers.stillFor(writer, shards.get(writer), now) >= deps.writerGoneMs;
    });
    writers.keepOnly(named);
    return ready;
  }

  async function repairBatch(batch: string, folded: ReadonlySet<string>): Promise<number> {
    if (folded.has(batch)) {
      await markCounted(batch);
      return 0;
    }
    // This process is folding it, or did (then only the marks are left): the fold knows.
    if (counts.knows(batch)) {
      await counts.fold(batch, {}, markCounted);
      return 0;
    }
    const entries = await changes
      .find({ countBatch: batch, counted: false }, { projection: { entry: 0, notifications: 0 } })
      .toArray();
    const sum: Record<string, number> = {};
    let repaired = 0;
    const unwrittenBefore = clock.now().getTime() - UNWRITTEN_AFTER_MS;
    for (const entry of entries) {
      const record = await cases.findOne({ _id: entry.caseId }, { projection: { version: 1 } });
      if (!record) {
        // Its writer may be about to insert the case: the whole batch waits for a later pass.
        if (new Date(entry.at).getTime() > unwrittenBefore) return 0;
        continue;
      }
      if (record.version < entry.version) {
        // Applying it is the roll-forward's job. It counts a batch of this process's itself
        // (the fold below then only marks it); another's is counted here, its writer gone.
        const whole = await cases.findOne({ _id: entry.caseId });
        const rolled = whole ? await deps.rollForward(whole) : null;
        if (!rolled || rolled.version < entry.version) continue;
      }
      for (const [key, value] of Object.entries(entry.countDelta ?? {})) {
        sum[key] = (sum[key] ?? 0) + value;
      }
      repaired++;
    }
    await counts.fold(batch, sum, markCounted);
    return repaired;
  }

  return async function repairCounts(): Promise<number> {
    // Each pass also tells other processes this one is alive, and takes over the shards of
    // processes that are gone, so they do not pile up with restarts.
    await counts.heartbeat();
    await adoptAbandoned();
    const pending = await changes
      .find({ counted: false }, { projection: { countBatch: 1, at: 1 } })
      .limit(BATCH)
      .toArray();
    const cutoff = clock.now().getTime() - deps.staleMs;
    const batches = new Set(
      pending
        .filter((entry) => new Date(entry.at).getTime() < cutoff && entry.countBatch)
        .map((entry) => entry.countBatch!),
    );
    if (batches.size === 0) return 0;
    const ready = await ownedOrLeft(batches);
    if (ready.length === 0) return 0;
    const folded = await counts.lastFolds();
    let repaired = 0;
    for (const batch of ready) repaired += await repairBatch(batch, folded);
    return repaired;
  };
}
