import mongoose, { type Connection } from 'mongoose';

/**
 * The collector's own bookkeeping, so that a collection reads only the content it has to decide
 * about. Case evidence is a nested array (`evidence.sha256`), which FerretDB cannot hand to
 * PostgreSQL (server/db/pushdown.ts): asking "does any case hold these bytes" of the cases
 * themselves decodes every case. These documents answer it by top-level equality instead.
 *
 * Both are insert-only (FerretDB applies updates as read-then-write, so an update could lose a
 * concurrent one; inserts of a unique `_id` cannot).
 */

/**
 * "Case `caseId` may hold the bytes `sha256`": written before the bytes are stored for that case,
 * so every reference a case can have is listed (a failed upload leaves one that is not true,
 * which the collection checks against the case and removes with the content). Backfilled for
 * older evidence by the first full collection; the document `_id: 'complete'` records that.
 */
export interface EvidenceRefRecord {
  /** `<sha256>:<caseId>` */
  _id: string;
  sha256: string;
  caseId: string;
  createdAt: Date;
}

const refSchema = new mongoose.Schema<EvidenceRefRecord>(
  {
    _id: { type: String, required: true },
    sha256: { type: String, required: true },
    caseId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'evidence_refs', versionKey: false },
);
refSchema.index({ sha256: 1 });

export const REFS_COMPLETE_ID = 'complete';

/**
 * One storing of bytes, to be looked at once its grace period is over: the collector's work
 * list. Found by the UTC hour it was written in; removed once decided.
 */
export interface EvidenceCheckRecord {
  /** An ObjectId in hex; GridFS uses it as the files `_id` of this storing's upload. */
  _id: string;
  sha256: string;
  /** Wall-clock time of the storing (ages in the store are wall-clock, see store.ts). */
  createdAt: Date;
  checkHour: string;
}

const checkSchema = new mongoose.Schema<EvidenceCheckRecord>(
  {
    _id: { type: String, required: true },
    sha256: { type: String, required: true },
    createdAt: { type: Date, required: true },
    checkHour: { type: String, required: true },
  },
  { collection: 'evidence_checks', versionKey: false },
);
checkSchema.index({ checkHour: 1 });
checkSchema.index({ sha256: 1 });

export function createEvidenceRefModel(connection: Connection) {
  return connection.model<EvidenceRefRecord>('EvidenceRef', refSchema);
}
export type EvidenceRefModel = ReturnType<typeof createEvidenceRefModel>;

export function createEvidenceCheckModel(connection: Connection) {
  return connection.model<EvidenceCheckRecord>('EvidenceCheck', checkSchema);
}
export type EvidenceCheckModel = ReturnType<typeof createEvidenceCheckModel>;
