import mongoose, { type Connection, type Types } from 'mongoose';
import type { ComplaintContext, Deadline } from '../../workflows/index.ts';
import type { TimelineEntry } from './timeline.ts';
import type { EvidenceItem } from './evidence-item.ts';
import type { ListingFields } from './derived.ts';
import type { PageDirectoryEntry } from './pages.ts';

/** One complaint: the aggregate. Every transition rewrites it in one version-guarded update. */
export interface CaseRecord extends ListingFields {
  _id: Types.ObjectId;
  reference: string;
  machineVersion: number;
  /** Dotted active state path; what queries filter on (never the stored snapshot). */
  state: string;
  stateValue: unknown;
  context: ComplaintContext;
  version: number;
  ownerId: Types.ObjectId;
  filedById: Types.ObjectId;
  assigneeId: Types.ObjectId | null;
  category: string;
  urgent: boolean;
  jurisdiction: string;
  locale: 'zh-CN' | 'en';
  channel: string;
  /** `address` and `registrationNumber` (in China the USCC) as filed or completed later. */
  respondent: {
    name: string;
    kind: 'platform' | 'merchant' | 'bank';
    address?: string;
    registrationNumber?: string;
  };
  transaction: {
    occurredAt: Date;
    reference?: string;
    amount: { amountMinor: number; currency: string };
  };
  /**
   * The transaction reference as `q` finds it (derived.ts): a top-level copy, so the lookup is
   * one equality query. Absent on cases filed before it existed and on imported cases.
   */
  transactionKey?: string | null;
  narrative: string;
  desiredOutcome: string;
  consumerBody: string | null;
  deadlines: Deadline[];
  /** Earliest due running deadline, indexed so the sweeper finds due cases without a scan. */
  nextDueAt: Date | null;
  /** nextDueAt's UTC hour ('none' without one): the sweeps read due cases by equality. */
  dueHour: string;
  /** nextDueAt's UTC day ('none' without one): lists in time-left order (due-order.ts). */
  dueDay: string;
  overdue: boolean;
  evidenceCount: number;
  /**
   * Uploaded files' metadata (the bytes live in the evidence store; see server/evidence).
   * Absent until the first upload: cases are inserted without schema defaults.
   */
  evidence?: EvidenceItem[];
  timeline: TimelineEntry[];
  lastHash: string;
  filedAt: Date;
  updatedAt: Date;
}

const Mixed = mongoose.Schema.Types.Mixed;

const caseSchema = new mongoose.Schema<CaseRecord>(
  {
    reference: { type: String, required: true, unique: true },
    machineVersion: { type: Number, required: true },
    state: { type: String, required: true },
    stateValue: { type: Mixed, required: true },
    context: { type: Mixed, required: true },
    version: { type: Number, required: true },
    ownerId: { type: mongoose.Schema.Types.ObjectId, required: true },
    filedById: { type: mongoose.Schema.Types.ObjectId, required: true },
    assigneeId: { type: mongoose.Schema.Types.ObjectId, default: null },
    category: { type: String, required: true },
    urgent: { type: Boolean, required: true },
    jurisdiction: { type: String, required: true },
    locale: { type: String, required: true },
    channel: { type: String, required: true },
    respondent: { type: Mixed, required: true },
    transaction: { type: Mixed, required: true },
    transactionKey: { type: String, default: null },
    narrative: { type: String, required: true },
    desiredOutcome: { type: String, required: true },
    consumerBody: { type: String, default: null },
    deadlines: { type: Mixed, default: [] },
    nextDueAt: { type: Date, default: null },
    dueHour: { type: String, required: true },
    dueDay: { type: String, required: true },
    phase: { type: String, required: true },
    open: { type: Boolean, required: true },
    assigned: { type: Boolean, required: true },
    refKey: { type: Number, required: true },
    pageS: { type: String, required: true },
    pageM: { type: String, required: true },
    pageL: { type: String, required: true },
    overdue: { type: Boolean, default: false },
    evidenceCount: { type: Number, default: 0 },
    evidence: { type: Mixed, default: [] },
    timeline: { type: Mixed, default: [] },
    lastHash: { type: String, required: true },
    filedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);

// One index a list filter, each ending in _id so cursor pagination (newest first) stays indexed.
caseSchema.index({ ownerId: 1, _id: -1 });
caseSchema.index({ state: 1, _id: -1 });
caseSchema.index({ category: 1, _id: -1 });
caseSchema.index({ jurisdiction: 1, _id: -1 });
caseSchema.index({ assigneeId: 1, _id: -1 });
caseSchema.index({ overdue: 1, _id: -1 });
caseSchema.index({ urgent: 1, _id: -1 });
caseSchema.index({ consumerBody: 1, _id: -1 });
caseSchema.index({ filedAt: 1 });
caseSchema.index({ nextDueAt: 1 });
// Equality fields of the list walk and the sweeps (server/cases/listing.ts, pages.ts): on
// FerretDB each top-level field here also gets a GIN index (server/db/pushdown.ts).
caseSchema.index({ phase: 1, _id: -1 });
caseSchema.index({ open: 1, _id: -1 });
caseSchema.index({ assigned: 1, _id: -1 });
caseSchema.index({ pageS: 1 });
caseSchema.index({ pageM: 1 });
caseSchema.index({ pageL: 1 });
caseSchema.index({ dueHour: 1 });
caseSchema.index({ dueDay: 1, nextDueAt: 1 });
caseSchema.index({ refKey: -1 });
caseSchema.index({ transactionKey: 1 });

export function createCaseModel(connection: Connection) {
  return connection.model<CaseRecord>('Case', caseSchema);
}
export type CaseModel = ReturnType<typeof createCaseModel>;

interface CounterRecord {
  _id: string;
  seq: number;
}

const counterSchema = new mongoose.Schema<CounterRecord>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'counters', versionKey: false },
);

export function createCounterModel(connection: Connection) {
  return connection.model<CounterRecord>('Counter', counterSchema);
}
export type CounterModel = ReturnType<typeof createCounterModel>;

/** Search terms of one case, apart from it so that list probes decode small documents. */
export interface CaseTermsRecord {
  _id: Types.ObjectId;
  terms: string[];
  refKey: number;
  pageS: string;
  pageM: string;
  pageL: string;
}

const termsSchema = new mongoose.Schema<CaseTermsRecord>(
  {
    _id: { type: mongoose.Schema.Types.ObjectId, required: true },
    terms: { type: [String], required: true },
    refKey: { type: Number, required: true },
    pageS: { type: String, required: true },
    pageM: { type: String, required: true },
    pageL: { type: String, required: true },
  },
  { collection: 'case_terms', versionKey: false },
);
// No declared index on `terms`: FerretDB would build a btree over the whole array, which
// outgrows PostgreSQL's btree row limit. FerretDB gets a GIN index (EQUALITY_ONLY_FIELDS),
// MongoDB a multikey index (ensureTermsIndex).
termsSchema.index({ pageS: 1 });
termsSchema.index({ pageM: 1 });
termsSchema.index({ pageL: 1 });

/** Per-process shards of the queue counts (server/cases/queue-counts.ts). */
const queueCountsSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    counts: { type: mongoose.Schema.Types.Mixed, default: {} },
  },
  { collection: 'case_queue_counts', versionKey: false, minimize: false },
);
queueCountsSchema.index({ kind: 1 });

export function createQueueCountsModel(connection: Connection) {
  return connection.model('CaseQueueCounts', queueCountsSchema);
}

/** Fields queried by equality that must not get FerretDB's btree index (server/db/pushdown.ts). */
export const EQUALITY_ONLY_FIELDS: Record<string, string[]> = { case_terms: ['terms'] };

export function createCaseTermsModel(connection: Connection) {
  return connection.model<CaseTermsRecord>('CaseTerms', termsSchema);
}
export type CaseTermsModel = ReturnType<typeof createCaseTermsModel>;

const pageSchema = new mongoose.Schema<PageDirectoryEntry>(
  {
    _id: { type: String, required: true },
    level: { type: String, required: true },
    parent: { type: String, required: true },
  },
  { collection: 'case_pages', versionKey: false },
);
pageSchema.index({ level: 1 });
pageSchema.index({ parent: 1 });

export function createCasePageModel(connection: Connection) {
  return connection.model<PageDirectoryEntry>('CasePage', pageSchema);
}
export type CasePageModel = ReturnType<typeof createCasePageModel>;
