import { isDuplicateKey } from '../db/duplicate-key.ts';
import type { Clock } from '../clock.ts';
import { hourKey } from '../hour-buckets.ts';
import type { NotificationModel, NotificationRecord, NotificationStatus } from './model.ts';

/** The statuses the dispatcher still has work for. */
export const DUE_STATUSES: NotificationStatus[] = ['pending', 'sending'];

/** What a producer (the relay, the warning sweep, account emails) decides about a new email. */
export type NewNotification = Pick<
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
> &
  Partial<Pick<NotificationRecord, 'secret' | 'linkExpiresAt'>>;

/** Inserts a new pending notification; false when its id exists (already relayed or warned). */
export type InsertNotification = (fields: NewNotification) => Promise<boolean>;

/** Builds Message-IDs: stable per case, message and recipient, so a resend threads alike. */
export type MessageIdFor = (caseId: string, key: string, recipientId: string) => string;

/** The hour bucket a pending or sending notification is filed under (see model.ts, `dueHour`). */
export function dueHourFor(nextAttemptAt: Date, now: Date): string {
  // Never an hour before the write: the dispatcher may have walked past those already.
  return hourKey(Math.max(nextAttemptAt.getTime(), now.getTime()));
}

/** A new notification's record: pending, no attempts, filed under its due hour. */
export function pendingRecord(fields: NewNotification, now: Date): NotificationRecord {
  return {
    ...fields,
    dueHour: dueHourFor(fields.nextAttemptAt, now),
    status: 'pending',
    attempts: 0,
    attemptBase: 0,
    lastError: null,
    sentAt: null,
    smtpResponse: null,
    requeues: 0,
    requeuedBy: null,
    parkedAt: null,
    updatedAt: now,
  };
}

/** The id is the claim: a second producer of the same email meets a duplicate key. */
export function createNotificationInserter(deps: {
  notifications: NotificationModel;
  clock: Clock;
}): InsertNotification {
  return async (fields) => {
    const record = pendingRecord(fields, deps.clock.now());
    try {
      await deps.notifications.collection.insertOne(record as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  };
}

/** The domain of MAIL_FROM (`Redress <no-reply@redress.example>`), for Message-IDs. */
export function mailDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match?.[1]?.toLowerCase() ?? 'redress.local';
}

export function messageIdsIn(domain: string): MessageIdFor {
  return (caseId, key, recipientId) => `<rd.${caseId}.${key}.${recipientId}@${domain}>`;
}
