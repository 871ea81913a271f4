import type { CaseMutation } from './mutations.ts';
import mongoose, { type Connection, type Types } from 'mongoose';
import type { TimelineEntry } from './timeline.ts';
import { countDelta, type QueueMembership } from './queue-counts.ts';

/** A notification a change asks for; the notifications module relays it from the journal. */
export interface OutboxItem {
  id: string;
  template: string;
  recipientId: string;
  entrySeq: number;
  createdAt: string;
}

/**
 * One change of one case, written before the case document is touched.
 *
 * Its `_id` is `<caseId>:<version it produces>`, so inserting it is an atomic claim on that
 * version: of several writers who read the same version, exactly one insert succeeds and the
 * others get a duplicate key (409). This is what makes concurrent writers safe on FerretDB,
 * whose SQLite backend applies `update`/`findAndModify` as read-then-write without a
 * transaction: two updates filtered on the same `version` can both succeed there, and one
 * silently overwrites the other (see docs/database-compatibility.md). On MongoDB it costs one
 * insert and behaves the same.
 *
 * The journal is also the outbox: the notifications a change causes are stored here in the
 * same insert, and relayed once the change is applied.
 */
export interface CaseChangeRecord {
  _id: string;
  caseId: Types.ObjectId;
  version: number;
  at: Date;
  /** What the change does, in domain terms (empty for version 1: filing inserts the case). */
  mutations?: CaseMutation[];
  /** Older entries: the update itself (`$set`, `$push`), read only by the roll-forward. */
  set?: Record<string, unknown>;
  push?: Record<string, unknown[]>;
  entry: TimelineEntry;
  notifications: OutboxItem[];
  /**
   * Always true: the insert is the commit point (the change happens, now or by roll-forward).
   * Kept because the outbox relay selects on it together with `relayed`.
   */
  applied: boolean;
  /** True once its notifications were handed to the notifications module. */
  relayed: boolean;
  /**
   * The queue counts this change moves (queue-counts.ts), stored with the change so that a
   * writer that dies before counting it cannot lose it; `counted` once folded into a shard.
   * Entries written before these existed were counted by their writers.
   */
  countDelta?: Record<string, number>;
  counted?: boolean;
  /** The fold this entry is counted in: one per change, one per batch of an import. */
  countBatch?: string;
}

const changeSchema = new mongoose.Schema<CaseChangeRecord>(
  {
    _id: { type: String, required: true },
    caseId: { type: mongoose.Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    at: { type: Date, required: true },
    mutations: { type: mongoose.Schema.Types.Mixed },
    set: { type: mongoose.Schema.Types.Mixed },
    push: { type: mongoose.Schema.Types.Mixed },
    entry: { type: mongoose.Schema.Types.Mixed, required: true },
    notifications: { type: mongoose.Schema.Types.Mixed, default: [] },
    applied: { type: Boolean, required: true },
    relayed: { type: Boolean, required: true },
    countDelta: { type: mongoose.Schema.Types.Mixed },
    counted: { type: Boolean },
    countBatch: { type: String },
  },
  { collection: 'case_changes', versionKey: false, minimize: false },
);
changeSchema.index({ counted: 1 });
changeSchema.index({ countBatch: 1 });
changeSchema.index({ applied: 1, at: 1 });
changeSchema.index({ relayed: 1, applied: 1, at: 1 });
changeSchema.index({ caseId: 1, version: 1 });

export function createCaseChangeModel(connection: Connection) {
  return connection.model<CaseChangeRecord>('CaseChange', changeSchema);
}
export type CaseChangeModel = ReturnType<typeof createCaseChangeModel>;

export function changeId(caseId: Types.ObjectId | string, version: number): string {
  return `${typeof caseId === 'string' ? caseId : caseId.toHexString()}:${version}`;
}

/**
 * The version-1 entry of a new case, filed or imported: the filing needs no version claim (a
 * new `_id` cannot collide), so it is born applied, and relayed when it asks for no email.
 */
export function genesisChange(
  record: { _id: Types.ObjectId; timeline: TimelineEntry[] } & QueueMembership,
  notifications: OutboxItem[],
  at: Date,
  countBatch: string,
): CaseChangeRecord {
  return {
    _id: changeId(record._id, 1),
    caseId: record._id,
    version: 1,
    at,
    mutations: [],
    entry: record.timeline[0]!,
    notifications,
    applied: true,
    relayed: notifications.length === 0,
    countDelta: countDelta(null, record),
    counted: false,
    countBatch,
  };
}
