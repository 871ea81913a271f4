import type { Clock } from './clock.ts';

/**
 * UTC hour buckets ('YYYY-MM-DDTHH', as server/cases/derived.ts writes `dueHour`) for work that
 * falls due at a time. FerretDB hands PostgreSQL only top-level equality (server/db/pushdown.ts):
 * `{expiresAt: {$lte: now}}` is decoded document by document in Go, `{expiresHour: h}` is an
 * index lookup. Background passes therefore read "due in hour h" for the few hours since they
 * last looked, and compare exact times in code or in the unpushed rest of the filter.
 */
export const HOUR_MS = 3_600_000;

/** Stored instead of an hour when nothing is due (a sent email): never read by a pass. */
export const NO_HOUR = 'none';

export function hourIndex(at: Date | number): number {
  return Math.floor((typeof at === 'number' ? at : at.getTime()) / HOUR_MS);
}

export function hourKey(at: Date | number): string {
  return new Date(hourIndex(at) * HOUR_MS).toISOString().slice(0, 13);
}

export function hourIndexOfKey(key: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(key)) return null;
  const at = Date.parse(`${key}:00:00Z`);
  return Number.isNaN(at) ? null : hourIndex(at);
}

/** The keys of hours `from` to `to` (hour indexes, both included), oldest first. */
export function hourKeys(from: number, to: number): string[] {
  const keys: string[] = [];
  for (let h = from; h <= to; h++) keys.push(new Date(h * HOUR_MS).toISOString().slice(0, 13));
  return keys;
}

/** More hours than this since the last pass (a suspended process, a test clock) costs one full pass. */
export const MAX_BUCKET_WALK = 48;

export interface HourlySweepSteps {
  /** Removes what is due in hour `key` (by `{<hour field>: key}`); returns how many. */
  bucket(key: string, now: Date): Promise<number>;
  /**
   * The old range query: removes everything due, including documents written before the hour
   * field existed. Run on the first pass of a process and after a long gap only.
   */
  full(now: Date): Promise<number>;
}

/**
 * An expiry sweep that reads only the hour buckets since its last pass. The checkpoint is kept
 * in memory: a process's first pass is a full one, which also covers documents written before
 * the bucket field existed (or by an older instance), so no migration or checkpoint document
 * is needed. Several instances sweeping the same buckets only delete nothing twice.
 */
export function createHourlySweep(clock: Clock, steps: HourlySweepSteps): () => Promise<number> {
  let sweptThrough: number | null = null;
  return async () => {
    const now = clock.now();
    const hour = hourIndex(now);
    if (sweptThrough === null || hour - sweptThrough > MAX_BUCKET_WALK) {
      const removed = await steps.full(now);
      sweptThrough = hour;
      return removed;
    }
    let removed = 0;
    // The hour the last pass reached is read again: it was still running then.
    for (const key of hourKeys(Math.min(sweptThrough, hour), hour)) {
      removed += await steps.bucket(key, now);
    }
    sweptThrough = hour;
    return removed;
  };
}
