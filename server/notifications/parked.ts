import { Types } from 'mongoose';
import type { CaseModel } from '../cases/model.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { NotificationModel, NotificationRecord } from './model.ts';
import { dueHourFor } from './queue.ts';
import type { ListNotificationsQuery, NotificationPage, NotificationView } from './schemas.ts';

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
    { path: 'cursor', message: 'use nextCursor from the previous page' },
  ]);
}

export function toNotificationView(
  n: NotificationRecord,
  caseReference: string | null,
  maxAttempts: number,
): NotificationView {
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
    attemptsLeft: n.status === 'parked' ? 0 : Math.max(0, maxAttempts - used),
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

/** The reference of each case, to show beside its notifications. */
async function referencesOf(
  cases: CaseModel,
  caseIds: Types.ObjectId[],
): Promise<Map<string, string>> {
  if (!caseIds.length) return new Map();
  const rows = await cases
    .find({ _id: { $in: caseIds } }, { reference: 1 })
    .lean<{ _id: Types.ObjectId; reference: string }[]>();
  return new Map(rows.map((r) => [r._id.toHexString(), r.reference]));
}

async function viewsOf(
  deps: { cases: CaseModel; maxAttempts: number },
  page: NotificationRecord[],
): Promise<NotificationView[]> {
  const references = await referencesOf(deps.cases, [
    ...new Map(
      page.flatMap((n) => (n.caseId ? [[n.caseId.toHexString(), n.caseId] as const] : [])),
    ).values(),
  ]);
  return page.map((n) =>
    toNotificationView(
      n,
      n.caseId ? (references.get(n.caseId.toHexString()) ?? null) : null,
      deps.maxAttempts,
    ),
  );
}

/** Officers' view of the queue: listing (e.g. the parked ones) and requeueing a parked one. */
export function createParkedEmails(deps: {
  notifications: NotificationModel;
  cases: CaseModel;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
}) {
  const { notifications, clock, logger } = deps;

  return {
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
      const last = page.at(-1);
      return {
        items: await viewsOf(deps, page),
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
      const [view] = await viewsOf(deps, [updated!]);
      return view!;
    },
  };
}
