import type { Db, ObjectId } from 'mongodb';
import type { Types } from 'mongoose';

/**
 * A notification delivery as this module stores it (model.ts), for other modules' reports.
 * Every field but the ids is optional: older records lack some, and readers export them as
 * they are.
 */
export interface CaseDelivery {
  _id: string;
  caseId: Types.ObjectId;
  caseVersion?: number;
  entrySeq?: number;
  template?: string;
  recipientId?: string;
  status?: string;
  attempts?: number;
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  messageId?: string | null;
  sentAt?: Date | null;
  smtpResponse?: string | null;
  createdAt?: Date | string;
}

/** The notifications module's read model for modules that report on cases' emails. */
export function createDeliveryReads(db: Db) {
  const notifications = db.collection('notifications');
  return {
    /** Every delivery of these cases, in no particular order (one `$in` query). */
    async ofCases(caseIds: ObjectId[]): Promise<CaseDelivery[]> {
      return (await notifications
        .find({ caseId: { $in: caseIds } })
        .toArray()) as unknown as CaseDelivery[];
    },
  };
}
export type DeliveryReads = ReturnType<typeof createDeliveryReads>;
