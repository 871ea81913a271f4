import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Types } from 'mongoose';
import type { Deadline } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import {
  createHourlySweep,
  hourIndex,
  hourIndexOfKey,
  hourKey,
  hourKeys,
  MAX_BUCKET_WALK,
  NO_HOUR,
} from '../hour-buckets.ts';
import type { Logger } from '../logger.ts';
import type { CaseModel, CaseRecord } from '../cases/model.ts';
import { changeId, type CaseChangeModel, type CaseChangeRecord } from '../cases/journal.ts';
import type { UserService } from '../users/service.ts';
import type {
  NotificationClaimModel,
  NotificationModel,
  NotificationRecord,
  NotificationStatus,
} from './model.ts';
import {
  isTemplateName,
  renderMessage,
  renderSetPasswordMessage,
  type CaseFactsForMail,
} from './render.ts';
import type { ListNotificationsQuery, NotificationPage, NotificationView } from './schemas.ts';
import {
  describeError,
  errorResponse,
  isServerFailure,
  type MailTransport,
  type OutgoingMail,
} from './transport.ts';

export interface NotificationSettings {
  mailFrom: string;
  publicUrl: string | undefined;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  batchSize: number;
  /** 0 turns deadline warnings off. */
  deadlineWarningMs: number;
}

export interface NotificationServiceDeps {
  notifications: NotificationModel;
  claims: NotificationClaimModel;
  /** Read only: the case a message is about, and the deadlines the warning sweep looks at. */
  cases: CaseModel;
  /** The case change journal, which is the outbox: read, and its `relayed` flag set. */
  changes: CaseChangeModel;
  users: UserService;
  clock: Clock;
  transport: MailTransport;
  logger: Logger;
  settings: NotificationSettings;
  /** Names this dispatcher in its claims (logs only); unique per instance by default. */
  owner?: string;
  /** For the retry jitter; tests pass a fixed one. */
  random?: () => number;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

export interface DispatchSummary {
  relayed: number;
  warned: number;
  sent: number;
  failed: number;
  parked: number;
  skipped: number;
  /** Due notifications left alone because another dispatcher held them. */
  busy: number;
}

/** What one attempt came to; `busy` means another dispatcher holds it. */
type AttemptOutcome = 'sent' | 'failed' | 'parked' | 'skipped' | 'busy';

/** Thrown while composing when there is nobody to send to; the notification is skipped. */
class SkipNotification extends Error {
  override name = 'SkipNotification';
}

const DUE_STATUSES: NotificationStatus[] = ['pending', 'sending'];
/** Claims are kept this long at least, far beyond any lease, then pruned. */
const CLAIM_RETENTION_MS = 24 * 3_600_000;
/** How many claimed-but-abandoned attempts one dispatcher steps over in one go. */
const MAX_STALE_CLAIMS = 3;
/** A dispatcher run goes through at most this many batches, so one run cannot go on forever. */
const MAX_BATCHES_PER_RUN = 10;
/**
 * The deadline-warning pass reads every assigned case due within the lead time, so the
 * dispatcher (every few seconds) runs it at most this often; a warning may go out a minute late.
 */
const WARNING_SWEEP_INTERVAL_MS = 60_000;
/**
 * How often the dispatcher reads every open notification instead of its hour buckets: for
 * those an older instance wrote without `dueHour` during an upgrade (see rescan).
 */
const RESCAN_INTERVAL_MS = 3_600_000;

/** The hour bucket a pending or sending notification is filed under (see model.ts, `dueHour`). */
function dueHourFor(nextAttemptAt: Date, now: Date): string {
  // Never an hour before the write: the dispatcher may have walked past those already.
  return hourKey(Math.max(nextAttemptAt.getTime(), now.getTime()));
}

/**
 * Status-change emails. Nothing here runs inside a request: the case service writes outbox
 * items into its change journal in the same insert that claims a case version, and this
 * service, driven by a background loop, relays them into `notifications`, claims due ones
 * with an insert (atomic on FerretDB, unlike its updates), renders and sends them, and records
 * the outcome. See README.md in this folder for the terms and the guarantees.
 */
export function createNotificationService(deps: NotificationServiceDeps) {
  const { notifications, claims, cases, changes, users, clock, transport, logger, settings } = deps;
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const random = deps.random ?? Math.random;
  const domain = mailDomain(settings.mailFrom);
  let lastPrune = 0;
  let lastWarningSweep: number | null = null;
  /**
   * The oldest hour bucket that may still hold due notifications, for this process; null until
   * a rescan has found it (and while notifications from before `dueHour` are still open).
   */
  let lowHour: number | null = null;
  let lastRescan = 0;
  const claimKeepMs = Math.max(CLAIM_RETENTION_MS, 10 * settings.leaseMs);

  function messageIdFor(caseId: string, key: string, recipientId: string): string {
    return `<rd.${caseId}.${key}.${recipientId}@${domain}>`;
  }

  /**
   * Copies the outbox items of applied, not yet relayed journal entries into `notifications`.
   * The item id becomes the notification `_id`, so a second relayer (another instance, or this
   * one after a crash between the inserts and the flag) only meets duplicate keys. An entry is
   * committed once inserted (the version claim), so every entry is relayed.
   *
   * Both conditions are equality, which FerretDB hands to PostgreSQL; `relayed: false` holds
   * only the few entries since the last run, so sorting and limiting them in FerretDB is cheap.
   */
  async function relay(batchSize = 500): Promise<number> {
    let relayed = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const pending = await changes
        .find({ relayed: false, applied: true })
        .sort({ at: 1 })
        .limit(batchSize)
        .lean<CaseChangeRecord[]>();
      for (const change of pending) relayed += await relayChange(change);
      if (pending.length < batchSize) break;
    }
    return relayed;
  }

  /** Copies one journal entry's items, then marks it relayed; returns how many were new. */
  async function relayChange(change: CaseChangeRecord): Promise<number> {
    const caseId = change.caseId.toHexString();
    let relayed = 0;
    for (const item of change.notifications) {
      const created = new Date(item.createdAt);
      const inserted = await insertIfNew({
        _id: item.id,
        caseId: change.caseId,
        caseVersion: change.version,
        entrySeq: item.entrySeq,
        template: item.template,
        recipientId: item.recipientId,
        messageId: messageIdFor(caseId, `${item.entrySeq}.${item.template}`, item.recipientId),
        deadline: null,
        createdAt: created,
        nextAttemptAt: created,
      });
      if (inserted) relayed++;
    }
    // Only after every item is in: a crash before this line means a harmless second copy.
    await changes.collection.updateOne({ _id: change._id } as never, {
      $set: { relayed: true },
    });
    return relayed;
  }

  type NewNotification = Pick<
    NotificationRecord,
    | '_id'
    | 'caseId'
    | 'caseVersion'
    | 'entrySeq'
    | 'template'
    | 'recipientId'
    | 'messageId'
    | 'deadline'
    | 'createdAt'
    | 'nextAttemptAt'
  >;

  /** Inserts a new pending notification; false when its id exists (already relayed or warned). */
  async function insertIfNew(
    fields: NewNotification & Partial<Pick<NotificationRecord, 'secret' | 'linkExpiresAt'>>,
  ): Promise<boolean> {
    const record: NotificationRecord = {
      ...fields,
      dueHour: dueHourFor(fields.nextAttemptAt, clock.now()),
      status: 'pending',
      attempts: 0,
      attemptBase: 0,
      lastError: null,
      sentAt: null,
      smtpResponse: null,
      requeues: 0,
      requeuedBy: null,
      parkedAt: null,
      updatedAt: clock.now(),
    };
    try {
      await notifications.collection.insertOne(record as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Warns the assignee of each running deadline that falls due within the lead time, once per
   * deadline: the notification `_id` is `warn:<caseId>:<kind>:<startedAt>`, so the insert is the
   * claim and a second sweep (or instance) finds it taken. A clock moved by a holding response
   * is a new deadline to warn about (`:extended`). Unassigned cases are looked at again on the
   * next sweep, so a case assigned inside the lead time still gets its warning. A warning that
   * is no longer true when it is sent (the clock stopped) is skipped.
   */
  async function sweepDeadlineWarnings(limit = 500): Promise<number> {
    if (settings.deadlineWarningMs <= 0) return 0;
    const now = clock.now();
    const horizon = new Date(now.getTime() + settings.deadlineWarningMs);
    type Soon = Pick<CaseRecord, '_id' | 'deadlines' | 'assigneeId' | 'version' | 'nextDueAt'>;
    const soon: Soon[] = [];
    // Hour by hour by equality (`dueHour`, and `assigned` because `assigneeId: {$ne: null}` is
    // not pushed down): PostgreSQL answers each from its indexes, where a range on `nextDueAt`
    // made FerretDB decode every case. The exact window is checked here, as the range did.
    for (const hour of hourKeys(hourIndex(now), hourIndex(horizon))) {
      const found = await cases
        .find(
          { dueHour: hour, assigned: true },
          { deadlines: 1, assigneeId: 1, version: 1, nextDueAt: 1 },
        )
        .lean<Soon[]>();
      for (const record of found) {
        const next = record.nextDueAt?.getTime();
        if (next === undefined || next <= now.getTime() || next > horizon.getTime()) continue;
        if (record.assigneeId) soon.push(record);
      }
      if (soon.length >= limit) break;
    }
    soon.sort((a, b) => a.nextDueAt!.getTime() - b.nextDueAt!.getTime()).splice(limit);
    const wanted: NewNotification[] = [];
    for (const record of soon) {
      const caseId = record._id.toHexString();
      for (const deadline of record.deadlines) {
        if (deadline.status !== 'running' || !deadline.dueAt) continue;
        const dueAt = Date.parse(deadline.dueAt);
        // A clock shorter than twice the lead time (a 24-hour acknowledgement) is warned about
        // at half time, not the moment it starts.
        const lead = Math.min(
          settings.deadlineWarningMs,
          (dueAt - Date.parse(deadline.startedAt)) / 2,
        );
        if (dueAt <= now.getTime() || dueAt - now.getTime() > lead) continue;
        const key = `${deadline.kind}:${deadline.startedAt}${deadline.extended ? ':extended' : ''}`;
        const recipientId = record.assigneeId!.toHexString();
        wanted.push({
          _id: `warn:${caseId}:${key}`,
          caseId: record._id,
          caseVersion: record.version,
          // Entry seq equals case version: the warning follows the case's latest entry.
          entrySeq: record.version,
          template: 'deadlineWarning',
          recipientId,
          messageId: messageIdFor(
            caseId,
            `warn.${deadline.kind}.${Date.parse(deadline.startedAt)}${deadline.extended ? '.x' : ''}`,
            recipientId,
          ),
          deadline: { kind: deadline.kind, startedAt: deadline.startedAt, dueAt: deadline.dueAt },
          createdAt: now,
          nextAttemptAt: now,
        });
      }
    }
    if (!wanted.length) return 0;
    // A read spares an insert (and its duplicate-key error) per warned case per sweep. One
    // `_id` lookup each: an `$in` is not pushed down and would decode every notification.
    const taken = await Promise.all(wanted.map((w) => notifications.exists({ _id: w._id })));
    let warned = 0;
    for (const [index, warning] of wanted.entries()) {
      if (!taken[index] && (await insertIfNew(warning))) warned++;
    }
    return warned;
  }

  /**
   * Claims attempt `attempts + 1` by inserting its claim. A claim already there whose lease is
   * still running means another dispatcher is on it: leave it. One whose lease ran out without a
   * recorded result means its holder died (maybe after sending): that attempt is spent, claim
   * the next. Returns the attempt number won, or null.
   */
  async function claimAttempt(n: NotificationRecord, now: Date): Promise<number | null> {
    let attempt = n.attempts + 1;
    for (let step = 0; step <= MAX_STALE_CLAIMS; step++) {
      const id = `${n._id}:${attempt}`;
      try {
        await claims.collection.insertOne({
          _id: id,
          notificationId: n._id,
          attempt,
          owner,
          leaseUntil: new Date(now.getTime() + settings.leaseMs),
          createdAt: now,
          expiresAt: new Date(now.getTime() + claimKeepMs),
          expiresHour: hourKey(now.getTime() + claimKeepMs),
        } as never);
        return attempt;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const held = await claims.findById(id).lean<{ leaseUntil: Date }>();
      if (!held) continue; // released between our insert and read: try the same attempt again
      if (held.leaseUntil.getTime() > now.getTime()) return null;
      attempt++;
    }
    return null;
  }

  /**
   * Makes one attempt at one notification; never throws for a failed send, only for the
   * database. `serverDown` says the mail server itself failed (see dispatch).
   */
  async function attemptDelivery(
    n: NotificationRecord,
  ): Promise<{ outcome: AttemptOutcome; serverDown?: boolean }> {
    const now = clock.now();
    const attempt = await claimAttempt(n, now);
    if (attempt === null) return { outcome: 'busy' };
    const claimId = `${n._id}:${attempt}`;
    // Fence: mark it ours unless it moved on since we read it (sent, parked, retried later, or
    // taken over). Only the holder of attempt n writes results, and only while `attempts` is n.
    const marked = await notifications.collection.updateOne(
      {
        _id: n._id,
        attempts: { $lt: attempt },
        status: { $in: DUE_STATUSES },
        nextAttemptAt: { $lte: now },
      } as never,
      {
        $set: {
          status: 'sending',
          attempts: attempt,
          nextAttemptAt: new Date(now.getTime() + settings.leaseMs),
          dueHour: hourKey(now.getTime() + settings.leaseMs),
          updatedAt: now,
        },
      },
    );
    if (marked.matchedCount === 0) {
      // We did not send anything: give the attempt number back for whoever is due to use it.
      await claims.collection.deleteOne({ _id: claimId, owner } as never);
      return { outcome: 'busy' };
    }
    const fence = { _id: n._id, attempts: attempt } as never;
    const round = attempt - (n.attemptBase ?? 0);

    if (round > settings.maxAttempts) {
      // Earlier claims of this round were taken and never completed: a send that keeps killing
      // its dispatcher must not be retried forever.
      await notifications.collection.updateOne(fence, {
        $set: {
          status: 'parked',
          dueHour: NO_HOUR,
          parkedAt: now,
          updatedAt: now,
          lastError: `gave up after ${settings.maxAttempts} attempts; the last ones were claimed but never completed (the dispatcher stopped mid-send?)`,
        },
      });
      logger.warn({ notification: n._id }, 'email parked: attempts were abandoned');
      return { outcome: 'parked' };
    }

    let mail: OutgoingMail;
    try {
      mail = await compose(n, now);
    } catch (error) {
      if (error instanceof SkipNotification) {
        await notifications.collection.updateOne(fence, {
          $set: {
            status: 'skipped',
            dueHour: NO_HOUR,
            lastError: error.message,
            updatedAt: now,
            ...forgetSecret(n),
          },
        });
        logger.info({ notification: n._id, reason: error.message }, 'email skipped');
        return { outcome: 'skipped' };
      }
      return { outcome: await recordFailure(n, attempt, round, error, now) };
    }

    try {
      const { response } = await transport.send(mail);
      await notifications.collection.updateOne(fence, {
        $set: {
          status: 'sent',
          dueHour: NO_HOUR,
          sentAt: clock.now(),
          smtpResponse: response.slice(0, 1_000),
          lastError: null,
          updatedAt: clock.now(),
          ...forgetSecret(n),
        },
      });
      logger.debug({ notification: n._id, messageId: n.messageId }, 'email sent');
      return { outcome: 'sent' };
    } catch (error) {
      const outcome = await recordFailure(n, attempt, round, error, clock.now());
      return { outcome, serverDown: isServerFailure(error) };
    }
  }

  /** A failed attempt: back off and retry, or park once the round's attempts are used up. */
  async function recordFailure(
    n: NotificationRecord,
    attempt: number,
    round: number,
    error: unknown,
    now: Date,
  ): Promise<'failed' | 'parked'> {
    const lastError = describeError(error);
    const fence = { _id: n._id, attempts: attempt } as never;
    if (round >= settings.maxAttempts) {
      await notifications.collection.updateOne(fence, {
        $set: {
          status: 'parked',
          dueHour: NO_HOUR,
          parkedAt: now,
          lastError,
          smtpResponse: errorResponse(error),
          updatedAt: now,
        },
      });
      logger.warn({ notification: n._id, attempts: attempt, lastError }, 'email parked');
      return 'parked';
    }
    // Exponential backoff with "equal jitter": at least half the step, so retries thin out,
    // and spread over the other half, so a queue that failed together does not retry together.
    const step = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** (round - 1));
    const delay = Math.round(step / 2 + (random() * step) / 2);
    await notifications.collection.updateOne(fence, {
      $set: {
        status: 'pending',
        nextAttemptAt: new Date(now.getTime() + delay),
        dueHour: hourKey(now.getTime() + delay),
        lastError,
        smtpResponse: errorResponse(error),
        updatedAt: now,
      },
    });
    logger.warn({ notification: n._id, attempts: attempt, lastError, delay }, 'email failed');
    return 'failed';
  }

  /**
   * Loads what the message needs as it is now (the case, the recipient, the journal entry the
   * message is about) and renders it in the recipient's language. Throws SkipNotification when
   * there is nobody to send it to.
   */
  async function compose(n: NotificationRecord, now: Date): Promise<OutgoingMail> {
    if (n.template === SET_PASSWORD_TEMPLATE) return composeAccountMail(n, now);
    if (!n.caseId) throw new Error(`notification ${n._id} names no case`);
    const record = await cases
      .findById(n.caseId, { timeline: 0 })
      .lean<Omit<CaseRecord, 'timeline'>>();
    if (!record) throw new SkipNotification('the case no longer exists');
    const user = await users.findById(n.recipientId);
    if (!user) throw new SkipNotification('the recipient account does not exist');
    if (user.disabled) throw new SkipNotification('the recipient account is disabled');
    if (!user.email) throw new SkipNotification('the recipient has no email address');
    if (!isTemplateName(n.template)) throw new Error(`no email template named ${n.template}`);

    let entry: { type: string; data: Record<string, unknown> } | null = null;
    let deadline: { kind: string; dueAt: string | null } | null = null;
    if (n.deadline) {
      const current = record.deadlines.find(
        (d) => d.kind === n.deadline!.kind && d.startedAt === n.deadline!.startedAt,
      );
      if (current?.status !== 'running') {
        throw new SkipNotification('the deadline is no longer running');
      }
      deadline = { kind: current.kind, dueAt: current.dueAt };
    } else {
      const change = await changes
        .findById(changeId(n.caseId, n.caseVersion), { entry: 1 })
        .lean<Pick<CaseChangeRecord, 'entry'>>();
      entry = change?.entry ?? null;
      if (n.template === 'deadlinePassed' && typeof entry?.data.deadline === 'string') {
        deadline = missedDeadline(record.deadlines, entry.data.deadline);
      }
    }

    const caseId = record._id.toHexString();
    const rendered = renderMessage({
      template: n.template,
      locale: user.locale,
      recipientName: user.name,
      caseFacts: record as CaseFactsForMail,
      entry,
      deadline,
      caseUrl: settings.publicUrl
        ? `${settings.publicUrl.replace(/\/+$/, '')}/cases/${caseId}`
        : null,
    });
    return {
      id: n._id,
      from: settings.mailFrom,
      to: { name: user.name, address: user.email },
      ...rendered,
      messageId: n.messageId,
      references: `<rd.${caseId}@${domain}>`,
      date: now,
      headers: {
        'X-Redress-Notification': n._id,
        'X-Redress-Case': record.reference,
        // RFC 3834: tells autoresponders not to answer.
        'Auto-Submitted': 'auto-generated',
      },
    };
  }

  /** The set-password email: no case, the link from the token the notification carries. */
  async function composeAccountMail(n: NotificationRecord, now: Date): Promise<OutgoingMail> {
    const user = await users.findById(n.recipientId);
    if (!user) throw new SkipNotification('the recipient account does not exist');
    if (user.disabled) throw new SkipNotification('the recipient account is disabled');
    if (!n.secret) throw new SkipNotification('the link was already sent or replaced');
    if (n.linkExpiresAt && n.linkExpiresAt.getTime() <= now.getTime()) {
      throw new SkipNotification('the link has expired');
    }
    const path = `/set-password?token=${encodeURIComponent(n.secret)}`;
    // Without PUBLIC_URL the server does not know its own address: the email names the path.
    const link = settings.publicUrl ? `${settings.publicUrl.replace(/\/+$/, '')}${path}` : path;
    const rendered = renderSetPasswordMessage({
      locale: user.locale,
      recipientName: user.name,
      link,
      linkIsRelative: !settings.publicUrl,
      expiresAt: (n.linkExpiresAt ?? now).toISOString(),
    });
    return {
      id: n._id,
      from: settings.mailFrom,
      to: { name: user.name, address: user.email },
      ...rendered,
      messageId: n.messageId,
      references: n.messageId,
      date: now,
      headers: { 'X-Redress-Notification': n._id, 'Auto-Submitted': 'auto-generated' },
    };
  }

  /**
   * Sends what is due, oldest first, one at a time. When the mail server itself fails (down,
   * timing out, refusing logins), the rest of the batch is left for the next run: an outage then
   * costs one attempt per run instead of one attempt for every queued message.
   */
  async function dispatch(): Promise<Omit<DispatchSummary, 'relayed' | 'warned'>> {
    const totals = { sent: 0, failed: 0, parked: 0, skipped: 0, busy: 0 };
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const due = await dueBatch(clock.now());
      let progressed = false;
      for (const n of due) {
        const { outcome, serverDown } = await attemptDelivery(n);
        totals[outcome]++;
        if (outcome === 'busy') continue;
        progressed = true;
        if (serverDown) return totals;
      }
      // A short batch was the whole queue; a batch of only busy ones is another dispatcher's.
      if (due.length < settings.batchSize || !progressed) break;
    }
    return totals;
  }

  function byNextAttempt(a: NotificationRecord, b: NotificationRecord): number {
    return a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime();
  }

  /**
   * Up to a batch of due notifications, oldest first, read by `dueHour` equality from the oldest
   * bucket that may hold one to the current hour. `status: {$in}` with a range on
   * `nextAttemptAt` made FerretDB decode every notification ever sent, every run.
   */
  async function dueBatch(now: Date): Promise<NotificationRecord[]> {
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
      if (due.length >= settings.batchSize) break;
    }
    lowHour = low;
    return due.sort(byNextAttempt).slice(0, settings.batchSize);
  }

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
      .slice(0, settings.batchSize);
  }

  /**
   * Claims are only needed while their attempt can still be contended; old ones are deleted by
   * the hour they expire in (claims from before `expiresHour` by the start-up pass).
   */
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

  async function pruneClaims(): Promise<void> {
    const now = clock.now().getTime();
    if (Math.abs(now - lastPrune) < 3_600_000) return;
    lastPrune = now;
    await sweepClaims();
  }

  /** The warning pass, at most once a WARNING_SWEEP_INTERVAL_MS of the service clock. */
  async function maybeSweepDeadlineWarnings(): Promise<number> {
    const now = clock.now().getTime();
    if (lastWarningSweep !== null && Math.abs(now - lastWarningSweep) < WARNING_SWEEP_INTERVAL_MS) {
      return 0;
    }
    lastWarningSweep = now;
    return sweepDeadlineWarnings();
  }

  function toView(n: NotificationRecord, caseReference: string | null): NotificationView {
    const used = n.attempts - (n.attemptBase ?? 0);
    return {
      id: n._id,
      caseId: n.caseId?.toHexString() ?? null,
      caseReference,
      caseVersion: n.caseVersion,
      entrySeq: n.entrySeq,
      template: n.template,
      recipientId: n.recipientId,
      status: n.status,
      attempts: n.attempts,
      attemptsLeft: n.status === 'parked' ? 0 : Math.max(0, settings.maxAttempts - used),
      nextAttemptAt: n.nextAttemptAt.toISOString(),
      lastError: n.lastError,
      messageId: n.messageId,
      sentAt: n.sentAt?.toISOString() ?? null,
      smtpResponse: n.smtpResponse,
      parkedAt: n.parkedAt?.toISOString() ?? null,
      requeues: n.requeues ?? 0,
      createdAt: n.createdAt.toISOString(),
    };
  }

  async function referencesOf(caseIds: Types.ObjectId[]): Promise<Map<string, string>> {
    if (!caseIds.length) return new Map();
    const rows = await cases
      .find({ _id: { $in: caseIds } }, { reference: 1 })
      .lean<{ _id: Types.ObjectId; reference: string }[]>();
    return new Map(rows.map((r) => [r._id.toHexString(), r.reference]));
  }

  return {
    relay,
    sweepDeadlineWarnings,
    dispatch,

    /**
     * Queues the set-password email of an account opened on someone's behalf; the dispatcher
     * sends it like any other (claims, retries, parking). `linkId` identifies the token (never
     * the token itself) and makes the notification id, so queueing twice sends once.
     */
    async queueSetPasswordEmail(input: {
      userId: string;
      linkId: string;
      token: string;
      expiresAt: Date;
    }): Promise<void> {
      const now = clock.now();
      await insertIfNew({
        _id: `account:${input.linkId}`,
        caseId: null,
        caseVersion: 0,
        entrySeq: 0,
        template: SET_PASSWORD_TEMPLATE,
        recipientId: input.userId,
        messageId: `<rd.account.${input.linkId}.${SET_PASSWORD_TEMPLATE}.${input.userId}@${domain}>`,
        deadline: null,
        createdAt: now,
        nextAttemptAt: now,
        secret: input.token,
        linkExpiresAt: input.expiresAt,
      });
    },

    /**
     * One dispatcher run: relay the journal, queue deadline warnings, send what is due. The
     * background loop calls it; tests call it to step the dispatcher by hand.
     */
    async runOnce(): Promise<DispatchSummary> {
      const relayed = await relay();
      const warned = await maybeSweepDeadlineWarnings();
      const sent = await dispatch();
      await pruneClaims();
      return { relayed, warned, ...sent };
    },

    /** Newest first, by status and/or case; `cursor` is the previous page's `nextCursor`. */
    async list(query: ListNotificationsQuery): Promise<NotificationPage> {
      const filter: Record<string, unknown> = {};
      if (query.status) filter.status = query.status;
      if (query.caseId) filter.caseId = new Types.ObjectId(query.caseId);
      if (query.cursor) {
        const { createdAt, id } = decodeCursor(query.cursor);
        filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
      }
      const rows = await notifications
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(query.limit + 1)
        .lean<NotificationRecord[]>();
      const page = rows.slice(0, query.limit);
      const references = await referencesOf([
        ...new Map(
          page.flatMap((n) => (n.caseId ? [[n.caseId.toHexString(), n.caseId] as const] : [])),
        ).values(),
      ]);
      const last = page.at(-1);
      return {
        items: page.map((n) =>
          toView(n, n.caseId ? (references.get(n.caseId.toHexString()) ?? null) : null),
        ),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
      };
    },

    /**
     * Puts a parked notification back in the queue, due now, with MAIL_MAX_ATTEMPTS fresh
     * attempts. `attempts` keeps counting (it is the claims' fencing token and the honest
     * history); `attemptBase` marks where the new round starts. Anything but parked is a conflict.
     */
    async retry(id: string, actor: { id: string }): Promise<NotificationView> {
      const current = await notifications.findById(id).lean<NotificationRecord>();
      if (!current) throw new NotFoundError('notification');
      if (current.status !== 'parked') {
        throw new ConflictError(
          `The notification is ${current.status}; only parked notifications can be requeued.`,
          { notificationStatus: current.status },
        );
      }
      const now = clock.now();
      const result = await notifications.collection.updateOne(
        { _id: id, status: 'parked', attempts: current.attempts } as never,
        {
          $set: {
            status: 'pending',
            attemptBase: current.attempts,
            nextAttemptAt: now,
            dueHour: dueHourFor(now, now),
            parkedAt: null,
            requeuedBy: actor.id,
            updatedAt: now,
          },
          $inc: { requeues: 1 },
        },
      );
      if (result.matchedCount === 0) {
        throw new ConflictError('The notification changed meanwhile; reload it and try again.');
      }
      logger.info({ notification: id, by: actor.id }, 'parked email requeued');
      const updated = await notifications.findById(id).lean<NotificationRecord>();
      const caseId = updated!.caseId;
      const references = await referencesOf(caseId ? [caseId] : []);
      return toView(updated!, caseId ? (references.get(caseId.toHexString()) ?? null) : null);
    },

    close(): void {
      transport.close();
    },
  };
}

/** The email that carries a set-password link (server/users/password-links.ts). */
export const SET_PASSWORD_TEMPLATE = 'setPassword';

/** Clears an account email's token once it is no longer needed. */
function forgetSecret(n: NotificationRecord): { secret?: null } {
  return n.secret ? { secret: null } : {};
}

/** The deadline a DEADLINE_PASSED entry names, as the case records it now (the last one missed). */
function missedDeadline(
  deadlines: readonly Deadline[],
  kind: string,
): { kind: string; dueAt: string | null } {
  const missed = deadlines.filter((d) => d.kind === kind && d.status === 'missed').at(-1);
  return { kind, dueAt: missed?.dueAt ?? null };
}

/** The domain of MAIL_FROM (`Redress <no-reply@redress.example>`), for Message-IDs. */
export function mailDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match?.[1]?.toLowerCase() ?? 'redress.local';
}

function encodeCursor(n: NotificationRecord): string {
  return Buffer.from(JSON.stringify([n.createdAt.toISOString(), n._id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    const date = new Date(String(createdAt));
    if (typeof id === 'string' && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError('The cursor is not valid.', [
    { path: 'query.cursor', message: 'use nextCursor from the previous page' },
  ]);
}
