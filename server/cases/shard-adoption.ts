import type { Clock } from '../clock.ts';
import { ADOPTED, lastFoldOf, type QueueCounts, type ShardRecord } from './queue-counts.ts';

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
  const stalls = createStallWatch();

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
      if (stalls.stillFor(shard._id, shard, now) < deps.abandonedMs) continue;
      await counts.adopt(shard, deps.markCounted);
      stalls.forget(shard._id);
      taken++;
    }
    stalls.keepOnly(new Set(all.map((shard) => shard._id)));
    return taken;
  };
}

/**
 * How long, by this process's clock, each shard it looks at has stood still (same beat, last
 * fold and counts; a shard not there counts as standing still too): a live process moves its
 * shard at least once per repair pass, unless its writes cannot reach the database.
 */
export function createStallWatch() {
  const seen = new Map<string, { fingerprint: string; since: number }>();
  return {
    stillFor(id: string, shard: ShardRecord | undefined, now: number): number {
      const fingerprint = shard
        ? JSON.stringify([shard.beat, shard.lastFold, shard.counts])
        : 'absent';
      const prior = seen.get(id);
      if (prior?.fingerprint === fingerprint) return now - prior.since;
      seen.set(id, { fingerprint, since: now });
      return 0;
    },
    forget(id: string): void {
      seen.delete(id);
    },
    keepOnly(ids: ReadonlySet<string>): void {
      for (const id of seen.keys()) if (!ids.has(id)) seen.delete(id);
    },
  };
}

/** How long a shard must stand still, for processes that beat every `repairIntervalMs`. */
export function abandonedAfter(repairIntervalMs: number): number {
  return Math.max(MIN_ABANDONED_MS, 4 * repairIntervalMs);
}

/**
 * The least time a shard must stand still before another process counts the batches its
 * process left: longer than a live process's fold can be held up retrying through an outage
 * (about two minutes, queue-counts.ts), after which that fold lands or is given up.
 */
export const MIN_WRITER_GONE_MS = 3 * 60_000;

/**
 * How long a writer's shard must stand still before others count its batches: always shorter
 * than `abandonedAfter`, so they are counted while the shard is still there to say so.
 */
export function writerGoneAfter(repairIntervalMs: number): number {
  return Math.max(MIN_WRITER_GONE_MS, 2 * repairIntervalMs);
}
