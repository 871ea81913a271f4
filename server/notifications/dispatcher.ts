import type { Clock } from '../clock.ts';
import {
  createHourlySweep,
  hourIndex,
  hourIndexOfKey,
  hourKeys,
  MAX_BUCKET_WALK,
} from '../hour-buckets.ts';
import type { NotificationClaimModel, NotificationModel, NotificationRecord } from './model.ts';
import type { AttemptOutcome } from './attempts.ts';
import { DUE_STATUSES } from './queue.ts';

/** A dispatcher run goes through at most this many batches, so one run cannot go on forever. */
const MAX_BATCHES_PER_RUN = 10;
/**
 * How often the dispatcher reads every open notification instead of its hour buckets: for
 * those an older instance wrote without `dueHour` during an upgrade (see rescan).
 */
const RESCAN_INTERVAL_MS = 3_600_000;

export type DispatchTotals = Record<AttemptOutcome, number>;

function byNextAttempt(a: NotificationRecord, b: NotificationRecord): number {
  return a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime();
}

/** Reads due notifications by hour bucket; remembers, per process, the oldest bucket to read. */
export function createDueQueue(deps: { notifications: NotificationModel; batchSize: number }) {
  const { notifications, batchSize } = deps;
  /**
   * The oldest hour bucket that may still hold due notifications, for this process; null until
   * a rescan has found it (and while notifications from before `dueHour` are still open).
   */
  let lowHour: number | null = null;
  let lastRescan = 0;

  /**
   * Every open notification, by status equality (few: sent ones are not open), and from them
   * the oldest bucket: after a process start or a long pause, and hourly. Open notifications
   * written before `dueHour` existed (or by an older instance) are found only here, so rescans
   * go on while any is left; the attempt that takes one files it. Only an attempt's holder
   * writes a notification (FerretDB updates are read-then-write), so nothing is backfilled.
   */
  async function rescan(now: Date): Promise<NotificationRecord[]> {
    lastRescan = now.getTime();
    const open = (
      await Promise.all(
        DUE_STATUSES.map((status) => notifications.find({ status }).lean<NotificationRecord[]>()),
      )
    ).flat();
    let oldest = hourIndex(now);
    let unfiled = false;
    for (const n of open) {
      const filed = n.dueHour ? hourIndexOfKey(n.dueHour) : null;
      if (filed === null) unfiled = true;
      else oldest = Math.min(oldest, filed);
    }
    lowHour = unfiled ? null : oldest;
    return open
      .filter((n) => n.nextAttemptAt.getTime() <= now.getTime())
      .sort(byNextAttempt)
      .slice(0, batchSize);
  }

  /**
   * Up to a batch of due notifications, oldest first, read by `dueHour` equality from the oldest
   * bucket that may hold one to the current hour. `status: {$in}` with a range on
   * `nextAttemptAt` made FerretDB decode every notification ever sent, every run.
   */
  return async function dueBatch(now: Date): Promise<NotificationRecord[]> {
    const hour = hourIndex(now);
    if (
      lowHour === null ||
      hour - lowHour > MAX_BUCKET_WALK ||
      Math.abs(now.getTime() - lastRescan) >= RESCAN_INTERVAL_MS
    ) {
      return rescan(now);
    }
    // One hour back at least: another instance's clock may run a little behind this one's.
    const from = Math.min(lowHour, hour - 1);
    const due: NotificationRecord[] = [];
    let low = from;
    let settled = true;
    for (const [offset, key] of hourKeys(from, hour).entries()) {
      const found = await notifications.find({ dueHour: key }).lean<NotificationRecord[]>();
      const open = found.filter((n) => DUE_STATUSES.includes(n.status));
      due.push(...open.filter((n) => n.nextAttemptAt.getTime() <= now.getTime()));
      // A past hour with nothing open in it stays empty (writes file under the current hour or
      // later); one still holding work, due or leased, is read again on the next run.
      if (settled && from + offset < hour && open.length === 0) low = from + offset + 1;
      else settled = false;
      if (due.length >= batchSize) break;
    }
    lowHour = low;
    return due.sort(byNextAttempt).slice(0, batchSize);
  };
}

/**
 * Sends what is due, oldest first, one at a time. When the mail server itself fails (down,
 * timing out, refusing logins), the rest of the batch is left for the next run: an outage then
 * costs one attempt per run instead of one attempt for every queued message.
 */
export function createDispatch(deps: {
  dueBatch: (now: Date) => Promise<NotificationRecord[]>;
  attemptDelivery: (
    n: NotificationRecord,
  ) => Promise<{ outcome: AttemptOutcome; serverDown?: boolean }>;
  clock: Clock;
  batchSize: number;
}) {
  return async function dispatch(): Promise<DispatchTotals> {
    const totals = { sent: 0, failed: 0, parked: 0, skipped: 0, busy: 0 };
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const due = await deps.dueBatch(deps.clock.now());
      let progressed = false;
      for (const n of due) {
        const { outcome, serverDown } = await deps.attemptDelivery(n);
        totals[outcome]++;
        if (outcome === 'busy') continue;
        progressed = true;
        if (serverDown) return totals;
      }
      // A short batch was the whole queue; a batch of only busy ones is another dispatcher's.
      if (due.length < deps.batchSize || !progressed) break;
    }
    return totals;
  };
}

/**
 * Claims are only needed while their attempt can still be contended; old ones are deleted by
 * the hour they expire in (claims from before `expiresHour` by the start-up pass), at most
 * once an hour of the service clock.
 */
export function createClaimPruning(deps: {
  claims: NotificationClaimModel;
  clock: Clock;
  claimKeepMs: number;
}) {
  const { claims, clock, claimKeepMs } = deps;
  let lastPrune = 0;
  const sweepClaims = createHourlySweep(clock, {
    bucket: async (hour, now) =>
      (await claims.collection.deleteMany({ expiresHour: hour, expiresAt: { $lte: now } }))
        .deletedCount,
    full: async (now) =>
      (
        await claims.collection.deleteMany({
          createdAt: { $lt: new Date(now.getTime() - claimKeepMs) },
        })
      ).deletedCount,
  });

  return async function pruneClaims(): Promise<void> {
    const now = clock.now().getTime();
    if (Math.abs(now - lastPrune) < 3_600_000) return;
    lastPrune = now;
    await sweepClaims();
  };
}
