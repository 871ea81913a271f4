import mongoose, { type Connection, type Types } from 'mongoose';
import type { ComplaintContext, Deadline } from '../../workflows/index.ts';
import type { TimelineEntry } from './timeline.ts';

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

/**
 * `RD-2026-000123`: one atomic counter per year. A failed filing after the increment leaves a
 * gap, which references tolerate; they are never reused.
 */
export async function nextReference(counters: CounterModel, year: number): Promise<string> {
  const counter = await counters
    .findOneAndUpdate(
      { _id: `case-reference-${year}` },
      { $inc: { seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    )
    .lean<CounterRecord>();
  return `RD-${year}-${String(counter!.seq).padStart(6, '0')}`;
}
