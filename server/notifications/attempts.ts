import type { Clock } from '../clock.ts';
import { hourKey, NO_HOUR } from '../hour-buckets.ts';
import type { Logger } from '../logger.ts';
import type { AttemptStore } from './attempt-store.ts';
import { SkipNotification } from './compose-types.ts';
import type { NotificationRecord } from './model.ts';
import { afterFailure, roundAbandoned, type RetrySettings } from './retry-schedule.ts';
import {
  describeError,
  errorResponse,
  isServerFailure,
  type MailTransport,
  type OutgoingMail,
} from './transport.ts';

/** How many claimed-but-abandoned attempts one dispatcher steps over in one go. */
const MAX_STALE_CLAIMS = 3;

/** What one attempt came to; `busy` means another dispatcher holds it. */
export type AttemptOutcome = 'sent' | 'failed' | 'parked' | 'skipped' | 'busy';

export interface AttemptDeps {
  store: AttemptStore;
  compose: (n: NotificationRecord, now: Date) => Promise<OutgoingMail>;
  transport: Pick<MailTransport, 'send'>;
  clock: Clock;
  logger: Logger;
  settings: RetrySettings & { leaseMs: number };
  /** Names this dispatcher in its claims (logs only). */
  owner: string;
  /** How long a claim is kept before it is pruned. */
  claimKeepMs: number;
  random: () => number;
}

/** Clears an account email's token once it is no longer needed. */
function forgetSecret(n: NotificationRecord): { secret?: null } {
  return n.secret ? { secret: null } : {};
}

/**
 * Claims attempt `attempts + 1` by inserting its claim. A claim already there whose lease is
 * still running means another dispatcher is on it: leave it. One whose lease ran out without
 * a recorded result means its holder died (maybe after sending): that attempt is spent, claim
 * the next. Returns the attempt number won, or null.
 */
async function claimAttempt(
  deps: AttemptDeps,
  n: NotificationRecord,
  now: Date,
): Promise<number | null> {
  const { store, settings, owner } = deps;
  let attempt = n.attempts + 1;
  for (let step = 0; step <= MAX_STALE_CLAIMS; step++) {
    const id = `${n._id}:${attempt}`;
    const won = await store.insertClaim({
      _id: id,
      notificationId: n._id,
      attempt,
      owner,
      leaseUntil: new Date(now.getTime() + settings.leaseMs),
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.claimKeepMs),
      expiresHour: hourKey(now.getTime() + deps.claimKeepMs),
    });
    if (won) return attempt;
    const held = await store.leaseOf(id);
    if (!held) continue; // released between our insert and read: try the same attempt again
    if (held.leaseUntil.getTime() > now.getTime()) return null;
    attempt++;
  }
  return null;
}

/** A failed attempt: back off and retry, or park once the round's attempts are used up. */
async function recordFailure(
  deps: AttemptDeps,
  n: NotificationRecord,
  attempt: number,
  round: number,
  error: unknown,
  now: Date,
): Promise<'failed' | 'parked'> {
  const { store, logger, settings } = deps;
  const lastError = describeError(error);
  const next = afterFailure(round, settings, deps.random);
  if (next.park) {
    await store.settle(n, attempt, {
      status: 'parked',
      dueHour: NO_HOUR,
      parkedAt: now,
      lastError,
      smtpResponse: errorResponse(error),
      updatedAt: now,
    });
    logger.warn({ notification: n._id, attempts: attempt, lastError }, 'email parked');
    return 'parked';
  }
  const delay = next.delayMs;
  await store.settle(n, attempt, {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + delay),
    dueHour: hourKey(now.getTime() + delay),
    lastError,
    smtpResponse: errorResponse(error),
    updatedAt: now,
  });
  logger.warn({ notification: n._id, attempts: attempt, lastError, delay }, 'email failed');
  return 'failed';
}

/** Composes and sends the claimed attempt, and records what came of it. */
async function deliver(
  deps: AttemptDeps,
  n: NotificationRecord,
  attempt: number,
  round: number,
  now: Date,
): Promise<{ outcome: AttemptOutcome; serverDown?: boolean }> {
  const { store, clock, logger } = deps;
  let mail: OutgoingMail;
  try {
    mail = await deps.compose(n, now);
  } catch (error) {
    if (!(error instanceof SkipNotification)) {
      return { outcome: await recordFailure(deps, n, attempt, round, error, now) };
    }
    await store.settle(n, attempt, {
      status: 'skipped',
      dueHour: NO_HOUR,
      lastError: error.message,
      updatedAt: now,
      ...forgetSecret(n),
    });
    logger.info({ notification: n._id, reason: error.message }, 'email skipped');
    return { outcome: 'skipped' };
  }
  try {
    const { response } = await deps.transport.send(mail);
    await store.settle(n, attempt, {
      status: 'sent',
      dueHour: NO_HOUR,
      sentAt: clock.now(),
      smtpResponse: response.slice(0, 1_000),
      lastError: null,
      updatedAt: clock.now(),
      ...forgetSecret(n),
    });
    logger.debug({ notification: n._id, messageId: n.messageId }, 'email sent');
    return { outcome: 'sent' };
  } catch (error) {
    const outcome = await recordFailure(deps, n, attempt, round, error, clock.now());
    return { outcome, serverDown: isServerFailure(error) };
  }
}

/**
 * Makes one attempt at one notification; never throws for a failed send, only for the
 * database. `serverDown` says the mail server itself failed (see dispatch).
 */
async function attemptDelivery(
  deps: AttemptDeps,
  n: NotificationRecord,
): Promise<{ outcome: AttemptOutcome; serverDown?: boolean }> {
  const { store, clock, logger, settings, owner } = deps;
  const now = clock.now();
  const attempt = await claimAttempt(deps, n, now);
  if (attempt === null) return { outcome: 'busy' };
  // Fence: mark it ours unless it moved on since we read it (sent, parked, retried later, or
  // taken over). Only the holder of attempt n writes results, and only while `attempts` is n.
  const marked = await store.markSending(n, attempt, now, {
    status: 'sending',
    nextAttemptAt: new Date(now.getTime() + settings.leaseMs),
    dueHour: hourKey(now.getTime() + settings.leaseMs),
    updatedAt: now,
  });
  if (!marked) {
    // We did not send anything: give the attempt number back for whoever is due to use it.
    await store.releaseClaim(`${n._id}:${attempt}`, owner);
    return { outcome: 'busy' };
  }
  const round = attempt - (n.attemptBase ?? 0);
  if (roundAbandoned(round, settings)) {
    await store.settle(n, attempt, {
      status: 'parked',
      dueHour: NO_HOUR,
      parkedAt: now,
      updatedAt: now,
      lastError: `gave up after ${settings.maxAttempts} attempts; the last ones were claimed but never completed (the dispatcher stopped mid-send?)`,
    });
    logger.warn({ notification: n._id }, 'email parked: attempts were abandoned');
    return { outcome: 'parked' };
  }
  return deliver(deps, n, attempt, round, now);
}

export function createAttempts(deps: AttemptDeps) {
  return (n: NotificationRecord) => attemptDelivery(deps, n);
}
