import { isDuplicateKey } from '../db/duplicate-key.ts';
import type {
  NotificationClaimModel,
  NotificationClaimRecord,
  NotificationModel,
  NotificationRecord,
} from './model.ts';
import { DUE_STATUSES } from './queue.ts';

/** The fields an attempt's holder may write when it records a result. */
export type AttemptResult = Partial<
  Pick<
    NotificationRecord,
    | 'status'
    | 'dueHour'
    | 'nextAttemptAt'
    | 'parkedAt'
    | 'sentAt'
    | 'smtpResponse'
    | 'lastError'
    | 'updatedAt'
    | 'secret'
  >
>;

/**
 * The writes one delivery attempt makes, fenced by its attempt number. The dispatcher's
 * steps speak to this, so they can run against a fake in unit tests.
 */
export interface AttemptStore {
  /** Inserts the claim of an attempt; false when that attempt is claimed already. */
  insertClaim(claim: NotificationClaimRecord): Promise<boolean>;
  leaseOf(claimId: string): Promise<{ leaseUntil: Date } | null>;
  releaseClaim(claimId: string, owner: string): Promise<void>;
  /** Marks it `sending` for `attempt` unless it moved on since it was read; false then. */
  markSending(
    n: NotificationRecord,
    attempt: number,
    now: Date,
    set: AttemptResult,
  ): Promise<boolean>;
  /** Records a result, only while `attempts` is still the holder's attempt. */
  settle(n: NotificationRecord, attempt: number, set: AttemptResult): Promise<void>;
}

export function mongoAttemptStore(
  notifications: NotificationModel,
  claims: NotificationClaimModel,
): AttemptStore {
  return {
    async insertClaim(claim) {
      try {
        await claims.collection.insertOne(claim as never);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    leaseOf: (claimId) => claims.findById(claimId).lean<{ leaseUntil: Date }>(),
    async releaseClaim(claimId, owner) {
      await claims.collection.deleteOne({ _id: claimId, owner } as never);
    },
    async markSending(n, attempt, now, set) {
      const marked = await notifications.collection.updateOne(
        {
          _id: n._id,
          attempts: { $lt: attempt },
          status: { $in: DUE_STATUSES },
          nextAttemptAt: { $lte: now },
        } as never,
        { $set: { ...set, attempts: attempt } },
      );
      return marked.matchedCount > 0;
    },
    async settle(n, attempt, set) {
      await notifications.collection.updateOne({ _id: n._id, attempts: attempt } as never, {
        $set: set,
      });
    },
  };
}
