import mongoose, { type Connection, type Types } from 'mongoose';
import type { ComplaintContext, Deadline } from '../../workflows/index.ts';
import type { TimelineEntry } from './timeline.ts';
import type { EvidenceItem } from '../evidence/schemas.ts';

/** One complaint: the aggregate. Every transition rewrites it in one version-guarded update. */
export interface CaseRecord {
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
  respondent: { name: string; kind: 'platform' | 'merchant' | 'bank' };
  transaction: {
    occurredAt: Date;
    reference?: string;
    amount: { amountMinor: number; currency: string };
  };
  narrative: string;
  desiredOutcome: string;
  consumerBody: string | null;
  deadlines: Deadline[];
  /** Earliest due running deadline, indexed so the sweeper finds due cases without a scan. */
  nextDueAt: Date | null;
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
    narrative: { type: String, required: true },
    desiredOutcome: { type: String, required: true },
    consumerBody: { type: String, default: null },
    deadlines: { type: Mixed, default: [] },
    nextDueAt: { type: Date, default: null },
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

export interface ReferenceAllocator {
  next(year: number): Promise<string>;
}

/**
 * Hands out `RD-2026-000123` references: unique, and gap-tolerant by design. Each process
 * claims a block of numbers by inserting `block:<year>:<n>` as an `_id` into
 * `case_references`; that insert is atomic on MongoDB and on FerretDB alike, where an `$inc`
 * on a shared counter is not (concurrent increments there return the same number). Filing
 * then costs no database round trip for its reference; numbers left in a block when the
 * process stops are never used (the gaps). The per-year counter is only a hint of where the
 * next free block is.
 */
export function createReferenceAllocator(
  counters: CounterModel,
  blockSize = 50,
): ReferenceAllocator {
  const claims = counters.db.collection('case_references');
  let block: { year: number; next: number; end: number } | undefined;
  let claiming: Promise<void> | undefined;

  async function claimBlock(year: number): Promise<void> {
    const hintId = `case-reference-block-${year}`;
    const hint = await counters.findById(hintId).lean<CounterRecord>();
    let candidate = (hint?.seq ?? -1) + 1;
    for (let attempt = 0; ; attempt++) {
      try {
        await claims.insertOne({ _id: `block:${year}:${candidate}` as never });
        break;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000 || attempt > 10_000) throw error;
        candidate++;
      }
    }
    await counters.collection.updateOne(
      { _id: hintId } as never,
      { $max: { seq: candidate } },
      { upsert: true },
    );
    block = { year, next: candidate * blockSize + 1, end: (candidate + 1) * blockSize };
  }

  return {
    async next(year: number): Promise<string> {
      while (!block || block.year !== year || block.next > block.end) {
        claiming ??= claimBlock(year).finally(() => {
          claiming = undefined;
        });
        await claiming;
      }
      const seq = block.next++;
      return `RD-${year}-${String(seq).padStart(6, '0')}`;
    },
  };
}
