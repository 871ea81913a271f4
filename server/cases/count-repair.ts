import type { Collection } from 'mongodb';
import type { Clock } from '../clock.ts';
import type { CaseChangeRecord } from './journal.ts';
import type { CaseRecord } from './model.ts';
import type { QueueCounts } from './queue-counts.ts';
import { createShardAdoption } from './shard-adoption.ts';

/** How many uncounted journal entries one pass looks at. */
const BATCH = 500;

/**
 * Finishes the counting of changes whose writer stopped between writing the case and folding
 * its count delta (a crash, `kill -9`, the database going away mid-request): the journal
 * entries still `counted: false` after the stale period, by equality, so an idle pass costs
 * one index probe. A batch some shard already folded is only marked; a genesis entry whose
 * case was never written counts nothing; a change not yet applied is rolled forward, which
 * counts it; the rest is folded into this process's shard.
 */
export function createCountRepair(deps: {
  changes: Collection<CaseChangeRecord>;
  cases: Collection<CaseRecord>;
  counts: QueueCounts;
  clock: Clock;
  staleMs: number;
  /** How long another process's shard must stand still to be taken over (shard-adoption.ts). */
  abandonedMs: number;
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

  async function repairBatch(batch: string, folded: ReadonlySet<string>): Promise<number> {
    if (folded.has(batch)) {
      await markCounted(batch);
      return 0;
    }
    const entries = await changes
      .find({ countBatch: batch, counted: false }, { projection: { entry: 0, notifications: 0 } })
      .toArray();
    const sum: Record<string, number> = {};
    let repaired = 0;
    for (const entry of entries) {
      const record = await cases.findOne({ _id: entry.caseId }, { projection: { version: 1 } });
      if (!record) continue;
      if (record.version < entry.version) {
        // Applying it is the roll-forward's job, and so is counting it then.
        const whole = await cases.findOne({ _id: entry.caseId });
        if (whole) await deps.rollForward(whole);
        continue;
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
    const folded = await counts.lastFolds();
    let repaired = 0;
    for (const batch of batches) repaired += await repairBatch(batch, folded);
    return repaired;
  };
}
