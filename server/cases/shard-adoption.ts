import type { Clock } from '../clock.ts';
import { ADOPTED, lastFoldOf, type QueueCounts } from './queue-counts.ts';

/** The least time a shard must stand still before its process is taken for gone. */
export const MIN_ABANDONED_MS = 10 * 60_000;

/**
 * Every server process keeps its own queue-count shard (queue-counts.ts), and a restart makes a
 * new one: without this, the shards every count reads would grow by one with each restart or
 * crash. A live process moves its shard's `beat` at least once per repair pass; a shard this
 * process has seen stand still (same beat, last fold and counts) for `abandonedMs` by its own
 * clock belongs to a process that is gone, and is taken over: its counts added to this
 * process's shard, then removed. `abandonedMs` must be well above the repair interval of every
 * process on the database (they share the configuration; see `abandonedAfter`).
 */
export function createShardAdoption(deps: {
  counts: Pick<QueueCounts, 'shardId' | 'all' | 'adopt' | 'remove'>;
  clock: Clock;
  abandonedMs: number;
  markCounted: (batch: string) => Promise<unknown>;
}) {
  const { counts, clock } = deps;
  const seen = new Map<string, { fingerprint: string; since: number }>();

  return async function adoptAbandoned(): Promise<number> {
    const now = clock.now().getTime();
    const all = await counts.all();
    // Shards an adopter added up but died before removing: removed first, while its
    // `lastFold` still says so (the next write of that shard would forget it).
    const adopted = new Set(
      all.flatMap((shard) =>
        lastFoldOf(shard)
          .filter((name) => name.startsWith(ADOPTED))
          .map((name) => name.slice(ADOPTED.length)),
      ),
    );
    for (const shard of all) if (adopted.has(shard._id)) await counts.remove(shard._id);
    let taken = 0;
    for (const shard of all) {
      if (shard._id === counts.shardId || adopted.has(shard._id)) continue;
      const fingerprint = JSON.stringify([shard.beat, shard.lastFold, shard.counts]);
      const prior = seen.get(shard._id);
      if (!prior || prior.fingerprint !== fingerprint) {
        seen.set(shard._id, { fingerprint, since: now });
        continue;
      }
      if (now - prior.since < deps.abandonedMs) continue;
      await counts.adopt(shard, deps.markCounted);
      seen.delete(shard._id);
      taken++;
    }
    const present = new Set(all.map((shard) => shard._id));
    for (const id of seen.keys()) if (!present.has(id)) seen.delete(id);
    return taken;
  };
}

/** How long a shard must stand still, for processes that beat every `repairIntervalMs`. */
export function abandonedAfter(repairIntervalMs: number): number {
  return Math.max(MIN_ABANDONED_MS, 4 * repairIntervalMs);
}
