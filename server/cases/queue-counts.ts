import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { isDuplicateKey } from '../db/duplicate-key.ts';

/** What decides a case's queues: its listing fields (server/cases/derived.ts). */
export interface QueueMembership {
  state: string;
  phase: string;
  open: boolean;
  assigned: boolean;
  assigneeId: { toString(): string } | string | null;
  overdue: boolean;
  urgent: boolean;
  category: string;
  jurisdiction: string;
  /** Absent on cases stored before it existed, until the one-time backfill. */
  dueDay?: string;
}

/**
 * List filters on these fields are counted per value too (`f:phase=closed`), so a list can
 * tell a filter matching a handful of cases (read in one query) from one matching thousands
 * (read bucket by bucket) before it reads anything.
 */
export const COUNTED_FIELDS = [
  'state',
  'phase',
  'category',
  'jurisdiction',
  'overdue',
  'urgent',
  'open',
  'assigned',
  'assigneeId',
  'dueDay',
] as const;

/** A counter name for `field = value`; dots would be read as nested paths by `$inc`. */
export function fieldCounter(field: string, value: unknown): string {
  return `f:${field}=${String(value).replaceAll('.', '~')}`;
}

/** The counters a case adds 1 to; the same rules as queueFilter in derived.ts. */
export function countersOf(m: QueueMembership): string[] {
  const keys = ['total'];
  if (m.open) keys.push('open');
  if (m.state === 'filed') keys.push('triage');
  if (m.open && !m.assigned) keys.push('unassigned');
  if (m.open && m.assigneeId) keys.push(`mine:${m.assigneeId.toString()}`);
  if (m.overdue) keys.push('overdue');
  if (m.urgent && m.open) keys.push('urgent');
  if (m.state === 'platformReview.awaitingComplainant') keys.push('awaiting_complainant');
  if (m.state === 'platformReview.awaitingBank') keys.push('awaiting_bank');
  if (m.phase === 'escalated') keys.push('escalated');
  for (const field of COUNTED_FIELDS) {
    const value = m[field];
    if (value !== null && value !== undefined) keys.push(fieldCounter(field, value));
  }
  return keys;
}

export function countDelta(
  before: QueueMembership | null,
  after: QueueMembership | null,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const key of before ? countersOf(before) : []) delta[key] = (delta[key] ?? 0) - 1;
  for (const key of after ? countersOf(after) : []) delta[key] = (delta[key] ?? 0) + 1;
  for (const key of Object.keys(delta)) if (delta[key] === 0) delete delta[key];
  return delta;
}

/** How often a fold cut by an outage is tried again (about two minutes in all). */
const SETTLE_ATTEMPTS = 30;
/** Most batches folded in one write: keeps the shard document (it names them) small. */
const MAX_GROUP = 200;
/**
 * How many folded batches this process remembers, so a second fold of one is dropped: at the
 * write rates measured (docs/benchmarks.md) hours of batches, far longer than any writer can be
 * held up between its journal entry and its fold.
 */
const REMEMBERED_BATCHES = 50_000;

export interface ShardRecord {
  _id: string;
  kind: 'queue-counts';
  counts: Record<string, number>;
  /** The journal batches this shard folded in its last write (see `fold`); a string before. */
  lastFold?: string[] | string;
  /** Moved by every write of the shard's process: it is alive while this changes. */
  beat?: number;
}

/** A fold waiting for its turn; `batch` is absent for a delta with no journal batch (`apply`). */
interface WaitingFold {
  batch?: string;
  delta: Record<string, number>;
  markCounted?: (batch: string) => Promise<unknown>;
  resolve(): void;
  reject(error: unknown): void;
}

/** Taking over an abandoned shard (`adopt`): it runs alone, between groups of folds. */
interface WaitingAdoption {
  adopt: ShardRecord;
  markCounted: (batch: string) => Promise<unknown>;
  resolve(): void;
  reject(error: unknown): void;
}

/** How a shard's `lastFold` names a shard it took over (see `adopt`). */
export const ADOPTED = 'adopted:';

/**
 * The shard of the process that made `batch` (see `newBatch`); undefined for batches made
 * before batches named their writer.
 */
export function writerOf(batch: string): string | undefined {
  const at = batch.indexOf('/');
  return at > 0 ? batch.slice(0, at) : undefined;
}

export function lastFoldOf(shard: ShardRecord | null | undefined): string[] {
  const last = shard?.lastFold;
  return last === undefined ? [] : Array.isArray(last) ? last : [last];
}

function incOf(deltas: readonly Record<string, number>[]): Record<string, number> {
  const inc: Record<string, number> = {};
  for (const delta of deltas) {
    for (const [key, value] of Object.entries(delta)) {
      inc[`counts.${key}`] = (inc[`counts.${key}`] ?? 0) + value;
    }
  }
  for (const key of Object.keys(inc)) if (inc[key] === 0) delete inc[key];
  return inc;
}

/**
 * Queue counts for the officers' dashboard, kept with each change instead of counted.
 *
 * `$inc` on one shared document loses updates on FerretDB (read, then write, no transaction;
 * docs/database-compatibility.md), so each process keeps its own shard document and is its
 * only writer, one write at a time; a count is the sum over the shards (a few small documents,
 * read by equality). Each change's delta is stored in its journal entry with the entry's
 * `countBatch` and `counted: false`, and folded into a shard exactly once (see `fold`); a fold
 * cut short by a crash or an outage is finished by the repair pass (count-repair.ts), so the
 * counts always come back to a recount.
 *
 * Folds that arrive while one is being written wait and are then written together, as one
 * `$inc` (group commit): one at a time, each write costs a writer its turn in a line as long as
 * the number of writers, which under load made every change wait seconds (docs/benchmarks.md).
 * Every write also moves the shard's `beat`, which tells other processes it is alive; the shard
 * of a process gone for good is taken over by a live one (`adopt`), so the shards read for every
 * count do not pile up with each restart.
 */
export function createQueueCounts(shards: Collection<ShardRecord>) {
  const shardId = `queue-counts:${randomUUID()}`;
  let beat = 0;
  let waiting: (WaitingFold | WaitingAdoption)[] = [];
  /** Settles when the write in progress (if any) is done, successfully or given up. */
  let writing: Promise<void> | null = null;
  /**
   * The batches this process is folding or folded. A batch is folded once however often it is
   * asked for: its writer and the repair pass (or a roll-forward) can both come to fold it when
   * the writer was held up past the stale period (count-repair.ts), and whichever comes second
   * is dropped here, in the one place every fold of this process passes through.
   */
  const folds = new Map<string, 'waiting' | 'folded'>();

  function remember(batch: string, state: 'waiting' | 'folded'): void {
    folds.delete(batch);
    folds.set(batch, state);
    if (folds.size <= REMEMBERED_BATCHES) return;
    for (const [oldest, was] of folds) {
      if (folds.size <= REMEMBERED_BATCHES) break;
      if (was === 'folded') folds.delete(oldest);
    }
  }

  /**
   * Runs `write` (one write of this shard naming `tag` in its `lastFold`, when there is a tag)
   * and then `finish`. Until both are done no other write of this shard starts, so `lastFold`
   * names the only thing that can be written but not finished: what the repair pass reads after
   * a crash. When the database fails mid-way (an outage, not a crash), the callers get the error
   * at once and this process settles the write itself once the database is back: it reads
   * `lastFold` to learn whether the write landed, so it neither repeats nor loses it.
   */
  async function settle(
    tag: string | undefined,
    write: () => Promise<unknown>,
    finish: () => Promise<unknown>,
    answer: { resolve(): void; reject(error: unknown): void },
  ): Promise<boolean> {
    let written = false;
    let answered = false;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!written && attempt > 0 && tag) {
          written = lastFoldOf(await shards.findOne({ _id: shardId })).includes(tag);
        }
        if (!written) {
          await write();
          written = true;
        }
        await finish();
        if (!answered) answer.resolve();
        return true;
      } catch (error) {
        if (!answered) answer.reject(error);
        answered = true;
        // Without a tag in the shard, a retry could not tell whether the write landed.
        if (!tag) return written;
        // Bounded, so a database gone for good (a shutdown) does not hold the shard forever.
        if (attempt >= SETTLE_ATTEMPTS) return written;
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 5_000)).unref());
      }
    }
  }

  /**
   * One write of this shard, naming `lastFold[0]` as its tag. The driver sends a write again
   * after a lost answer (FerretDB killed mid-request); the filter makes that second send match
   * nothing once the first landed, so an `$inc` is never applied twice, and the upsert it then
   * tries is refused as a duplicate of this shard: the write is there.
   */
  async function writeShard(inc: Record<string, number>, lastFold: string[]): Promise<void> {
    const tag = lastFold[0];
    try {
      await shards.updateOne(
        { _id: shardId, ...(tag ? { lastFold: { $ne: tag } } : {}) },
        {
          ...(Object.keys(inc).length ? { $inc: inc } : {}),
          $set: { beat: ++beat, ...(lastFold.length ? { lastFold } : {}) },
          $setOnInsert: { kind: 'queue-counts' as const },
        },
        { upsert: true },
      );
    } catch (error) {
      if (!tag || !isDuplicateKey(error)) throw error;
    }
  }

  /** Adds the group's summed delta, naming its batches, then marks the batches counted. */
  async function writeGroup(group: WaitingFold[]): Promise<void> {
    const batches = group.flatMap((fold) => (fold.batch ? [fold.batch] : []));
    const inc = incOf(group.map((fold) => fold.delta));
    const written = await settle(
      batches[0],
      () => writeShard(inc, batches),
      // Different journal entries: written side by side, each by equality on its batch.
      () => Promise.all(group.map((fold) => fold.batch && fold.markCounted?.(fold.batch))),
      {
        resolve: () => group.forEach((fold) => fold.resolve()),
        reject: (error) => group.forEach((fold) => fold.reject(error)),
      },
    );
    // Given up unwritten: the repair pass may fold these batches (they stay uncounted).
    for (const batch of batches) {
      if (written) remember(batch, 'folded');
      else folds.delete(batch);
    }
  }

  /**
   * Takes over the shard of a process gone for good: first marks counted the batches it folded
   * last (they are in its counts; once it is gone, the repair pass would fold them again), then
   * adds its counts to this shard naming it (`adopted:<id>`), then removes it. A crash before
   * the removal leaves both; the next adoption pass sees the name and only removes it.
   */
  async function writeAdoption(job: WaitingAdoption): Promise<void> {
    const { adopt } = job;
    const tag = `${ADOPTED}${adopt._id}`;
    await settle(
      tag,
      async () => {
        for (const batch of lastFoldOf(adopt)) {
          if (!batch.startsWith(ADOPTED)) await job.markCounted(batch);
        }
        await writeShard(incOf([adopt.counts ?? {}]), [tag]);
      },
      () => shards.deleteOne({ _id: adopt._id }),
      job,
    );
  }

  function drain(): void {
    if (writing || waiting.length === 0) return;
    const head = waiting[0]!;
    if ('adopt' in head) {
      waiting = waiting.slice(1);
      writing = writeAdoption(head);
    } else {
      const end = waiting.findIndex((job, i) => i >= MAX_GROUP || 'adopt' in job);
      const group = waiting.slice(0, end < 0 ? undefined : end) as WaitingFold[];
      waiting = waiting.slice(group.length);
      writing = writeGroup(group);
    }
    writing = writing.finally(() => {
      writing = null;
      drain();
    });
  }

  function enqueue<T extends WaitingFold | WaitingAdoption>(
    job: Omit<T, 'resolve' | 'reject'>,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      waiting.push({ ...job, resolve, reject } as T);
      drain();
    });
  }

  return {
    /**
     * Adds the delta of the journal batch `batch` to this process's shard and then marks the
     * batch's entries counted (`markCounted`), exactly once; resolves when both are done.
     */
    fold(
      batch: string,
      delta: Record<string, number>,
      markCounted: (batch: string) => Promise<unknown>,
    ): Promise<void> {
      const known = folds.get(batch);
      // Being written: that write marks it. Written: in the counts already, so only marked.
      if (known === 'waiting') return Promise.resolve();
      if (known === 'folded') return markCounted(batch).then(() => undefined);
      remember(batch, 'waiting');
      return enqueue<WaitingFold>({ batch, delta, markCounted });
    },

    /**
     * Whether this process may fold `batch` now: it made it, or the batch names no writer (made
     * before batches did). Another live process's batch is its own to fold (count-repair.ts).
     */
    made(batch: string): boolean {
      const writer = writerOf(batch);
      return !writer || writer === shardId;
    },

    /** Whether this process is folding or folded `batch` (the repair pass leaves it then). */
    knows(batch: string): boolean {
      return folds.has(batch);
    },

    /** This process's shard. */
    shardId,

    /**
     * A new journal batch, named after this process's shard: only this process folds it while
     * it is alive (it alone knows whether it is still about to), see count-repair.ts.
     */
    newBatch(): string {
      return `${shardId}/${randomUUID()}`;
    },

    /** Moves this shard's `beat` (a write with nothing to add), so others see it is alive. */
    heartbeat(): Promise<void> {
      return enqueue<WaitingFold>({ delta: {} });
    },

    /** Takes over `shard`, whose process is gone for good (shard-adoption.ts decides). */
    adopt(shard: ShardRecord, markCounted: (batch: string) => Promise<unknown>): Promise<void> {
      return enqueue<WaitingAdoption>({ adopt: shard, markCounted });
    },

    /** Every shard, as stored. */
    all(): Promise<ShardRecord[]> {
      return shards.find({ kind: 'queue-counts' }).toArray();
    },

    /** Removes a shard some shard took over already (its `lastFold` names it). */
    async remove(id: string): Promise<void> {
      if (id !== shardId) await shards.deleteOne({ _id: id });
    },

    /** The batches some shard folded last: folded already, even if not marked counted. */
    async lastFolds(): Promise<Set<string>> {
      const all = await shards.find({ kind: 'queue-counts' }).toArray();
      return new Set(all.flatMap(lastFoldOf));
    },

    /** Adds `delta` to this process's shard; resolves once it is written. */
    apply(delta: Record<string, number>): Promise<void> {
      if (Object.keys(delta).length === 0) return Promise.resolve();
      return enqueue<WaitingFold>({ delta });
    },

    /** Removes every shard: only for the one-time recount at start-up. */
    async clear(): Promise<void> {
      while (writing) await writing;
      await shards.deleteMany({ kind: 'queue-counts' });
    },

    /** The counts summed over every process's shard; absent keys are 0. */
    async totals(): Promise<Record<string, number>> {
      const all = await shards.find({ kind: 'queue-counts' }).toArray();
      const sum: Record<string, number> = {};
      for (const shard of all) {
        for (const [key, value] of Object.entries(shard.counts ?? {})) {
          sum[key] = (sum[key] ?? 0) + value;
        }
      }
      return sum;
    },
  };
}
export type QueueCounts = ReturnType<typeof createQueueCounts>;
