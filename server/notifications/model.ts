import mongoose, { type Connection, type Types } from 'mongoose';

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'parked', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One email to one person. Other modules (the compliance export) read these field names, so
 * they are a contract: add fields, never rename them.
 *
 * `attempts` counts every attempt ever made, including those granted by an officer's requeue,
 * and doubles as the fencing token of the claims: attempt n is claimed by inserting
 * `notification_claims._id = '<_id>:<n>'`, and only the writer holding attempt `attempts`
 * may record a result (see service.ts). A requeue does not reset it: claim ids stay unique.
 */
export interface NotificationRecord {
  /** The outbox item id from the case journal, or `warn:<caseId>:<kind>:<startedAt>`. */
  _id: string;
  /** Null for account emails (the set-password link), which are about no case. */
  caseId: Types.ObjectId | null;
  /** The case version whose change asked for this message (for warnings: the version seen). */
  caseVersion: number;
  /** The timeline entry it is about (entry seq equals case version). */
  entrySeq: number;
  template: string;
  recipientId: string;
  status: NotificationStatus;
  attempts: number;
  /** Pending: when it is due. Sending: when the claim's lease runs out. */
  nextAttemptAt: Date;
  /**
   * The UTC hour bucket the dispatcher finds it under ('YYYY-MM-DDTHH', server/hour-buckets.ts):
   * the hour of `nextAttemptAt`, or of the write if that is later, while pending or sending;
   * 'none' once sent, parked or skipped. Written with every `nextAttemptAt`, by the holder of
   * the attempt. Absent on notifications written before it existed (see service.ts, rescan).
   */
  dueHour?: string;
  /**
   * Attempts made before the current round: an officer's requeue sets it to `attempts`, so the
   * notification gets MAIL_MAX_ATTEMPTS more while `attempts` (and the claim ids) keep counting.
   */
  attemptBase: number;
  lastError: string | null;
  /** Derived from case, entry, template and recipient, so a resend carries the same id. */
  messageId: string;
  sentAt: Date | null;
  smtpResponse: string | null;
  /** For deadline warnings: which clock, due when (as seen by the sweep). */
  deadline: { kind: string; startedAt: string; dueAt: string } | null;
  requeues: number;
  /** The officer who last requeued it. */
  requeuedBy: string | null;
  parkedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /**
   * Account emails only: the raw set-password token the link carries. The token store keeps
   * only its hash; this copy exists so the email can be (re)sent after a crash, and is removed
   * once the email is sent or skipped.
   */
  secret?: string | null;
  /** Account emails only: when the link stops working. */
  linkExpiresAt?: Date;
}

const notificationSchema = new mongoose.Schema<NotificationRecord>(
  {
    _id: { type: String, required: true },
    caseId: { type: mongoose.Schema.Types.ObjectId, default: null },
    caseVersion: { type: Number, required: true },
    entrySeq: { type: Number, required: true },
    template: { type: String, required: true },
    recipientId: { type: String, required: true },
    status: { type: String, required: true, enum: NOTIFICATION_STATUSES },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    dueHour: { type: String },
    attemptBase: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    messageId: { type: String, required: true },
    sentAt: { type: Date, default: null },
    smtpResponse: { type: String, default: null },
    deadline: { type: mongoose.Schema.Types.Mixed, default: null },
    requeues: { type: Number, default: 0 },
    requeuedBy: { type: String, default: null },
    parkedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    secret: { type: String },
    linkExpiresAt: { type: Date },
  },
  { collection: 'notifications', versionKey: false, minimize: false },
);
// The dispatcher's query: what is due in one hour, by equality (FerretDB pushes nothing else
// down to PostgreSQL, server/db/pushdown.ts); status equality for its rare full rescans.
notificationSchema.index({ dueHour: 1 });
// The officers' list: by status or by case, newest first, with _id as the cursor tiebreak.
notificationSchema.index({ status: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ caseId: 1, createdAt: -1, _id: -1 });

export function createNotificationModel(connection: Connection) {
  return connection.model<NotificationRecord>('Notification', notificationSchema);
}
export type NotificationModel = ReturnType<typeof createNotificationModel>;

/**
 * The right to make attempt n of a notification. FerretDB applies updates as read-then-write
 * without a transaction (docs/database-compatibility.md), so a conditional update cannot hand
 * work to exactly one dispatcher; an insert of a unique `_id` can, on FerretDB and MongoDB.
 */
export interface NotificationClaimRecord {
  /** `<notificationId>:<attempt>` */
  _id: string;
  notificationId: string;
  attempt: number;
  /** Which dispatcher holds it (process and instance), for the logs. */
  owner: string;
  /** After this, with no result recorded, the holder is presumed dead. */
  leaseUntil: Date;
  createdAt: Date;
  /** When the dispatcher prunes it, and that time's UTC hour, which it deletes by. */
  expiresAt?: Date;
  expiresHour?: string;
}

const claimSchema = new mongoose.Schema<NotificationClaimRecord>(
  {
    _id: { type: String, required: true },
    notificationId: { type: String, required: true },
    attempt: { type: Number, required: true },
    owner: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date },
    expiresHour: { type: String },
  },
  { collection: 'notification_claims', versionKey: false },
);
// No TTL indexes on FerretDB: old claims are deleted by the dispatcher, an hour bucket at a time
// (claims from before `expiresHour` by its start-up pass, on `createdAt`).
claimSchema.index({ expiresHour: 1 });

export function createNotificationClaimModel(connection: Connection) {
  return connection.model<NotificationClaimRecord>('NotificationClaim', claimSchema);
}
export type NotificationClaimModel = ReturnType<typeof createNotificationClaimModel>;
