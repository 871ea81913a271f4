import type { Types } from 'mongoose';
import type { WorkflowPolicy } from '../../workflows/index.ts';
import { timelinessOfCase, type Timeliness } from '../../workflows/timeliness.ts';
import type { CaseRecord } from '../cases/model.ts';
import type { TimelineEntry } from '../cases/timeline.ts';
import type { CaseDelivery } from '../notifications/read-models.ts';

/** Bumped whenever a field of an exported case changes meaning; readers check it first. */
export const EXPORT_SCHEMA_VERSION = 1;

/**
 * Evidence as the evidence module stores it in `case.evidence[]` (absent on older cases).
 * Read defensively: every field is optional here so an older or partial item still exports.
 */
export interface StoredEvidence {
  id?: string;
  kind?: string;
  description?: string;
  sha256?: string;
  size?: number;
  mediaType?: string;
  originalName?: string;
  storageKey?: string;
  backend?: string;
  uploadedBy?: { id?: string; role?: string };
  uploadedAt?: Date | string;
  flagged?: boolean;
}

/** A notification delivery, as the notifications module's read model gives it. */
export type StoredDelivery = CaseDelivery;

/** A case document as the driver returns it, with the fields other modules add. */
export type StoredCase = CaseRecord & { evidence?: StoredEvidence[] };

/** One evidence file in an export or dossier: what it is and the hash that proves its bytes. */
export interface EvidenceManifestItem {
  id: string;
  kind: string;
  description: string;
  originalName: string | null;
  mediaType: string | null;
  size: number | null;
  sha256: string | null;
  uploadedBy: { id: string; role: string } | null;
  uploadedAt: string | null;
  flagged: boolean;
}

export interface DeliveryRecord {
  id: string;
  entrySeq: number | null;
  template: string | null;
  recipientId: string | null;
  status: string | null;
  attempts: number;
  sentAt: string | null;
  messageId: string | null;
  smtpResponse: string | null;
  lastError: string | null;
  createdAt: string | null;
}

/** One line of an NDJSON export: a whole case, its hash chain, evidence and deliveries. */
export interface ExportedCase {
  exportVersion: number;
  id: string;
  reference: string;
  state: string;
  version: number;
  machineVersion: number;
  category: string;
  urgent: boolean;
  jurisdiction: string;
  consumerBody: string | null;
  locale: string;
  channel: string;
  respondent: CaseRecord['respondent'];
  transaction: {
    occurredAt: string | null;
    reference?: string;
    amount: CaseRecord['transaction']['amount'];
  };
  narrative: string;
  desiredOutcome: string;
  ownerId: string | null;
  filedById: string | null;
  assigneeId: string | null;
  overdue: boolean;
  deadlines: CaseRecord['deadlines'];
  outcome: {
    response: string | null;
    responseRejected: boolean;
    holdingResponse: boolean;
    bodyReference: string | null;
    bodyDecision: string | null;
    legalOutcome: string | null;
  };
  filedAt: string | null;
  updatedAt: string | null;
  evidenceCount: number;
  /**
   * As of the export's start: whether the platform acknowledged and answered in time (the
   * CFPB's "timely response"), and how the consumer body's clocks stood.
   */
  timeliness: Timeliness;
  /** The hash of the last timeline entry as stored on the case: catches a truncated chain. */
  lastHash: string;
  timeline: TimelineEntry[];
  evidence: EvidenceManifestItem[];
  notifications: DeliveryRecord[];
}

function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

function hex(value: Types.ObjectId | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.toHexString();
}

/** The evidence manifest of a case: never the storage key, which is an internal path. */
export function evidenceManifest(
  evidence: readonly StoredEvidence[] | undefined,
): EvidenceManifestItem[] {
  return (evidence ?? []).map((item, index) => ({
    id: item.id ?? String(index + 1),
    kind: item.kind ?? 'other',
    description: item.description ?? '',
    originalName: item.originalName ?? null,
    mediaType: item.mediaType ?? null,
    size: typeof item.size === 'number' ? item.size : null,
    sha256: item.sha256 ?? null,
    uploadedBy: item.uploadedBy?.id
      ? { id: String(item.uploadedBy.id), role: String(item.uploadedBy.role ?? '') }
      : null,
    uploadedAt: iso(item.uploadedAt),
    flagged: item.flagged === true,
  }));
}

export function deliveryRecord(delivery: StoredDelivery): DeliveryRecord {
  return {
    id: String(delivery._id),
    entrySeq: delivery.entrySeq ?? null,
    template: delivery.template ?? null,
    recipientId: delivery.recipientId ?? null,
    status: delivery.status ?? null,
    attempts: delivery.attempts ?? 0,
    sentAt: iso(delivery.sentAt),
    messageId: delivery.messageId ?? null,
    smtpResponse: delivery.smtpResponse ?? null,
    lastError: delivery.lastError ?? null,
    createdAt: iso(delivery.createdAt),
  };
}

/**
 * The timeline exactly as hashed: only the fields the hash covers plus the two hashes, so the
 * file verifies with nothing but `verifyChain`.
 */
function timelineOf(record: StoredCase): TimelineEntry[] {
  return (record.timeline ?? []).map((entry) => ({
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    actor: entry.actor,
    fromState: entry.fromState,
    toState: entry.toState,
    data: entry.data,
    prevHash: entry.prevHash,
    hash: entry.hash,
  }));
}

/** What timeliness is judged by: the workflow policy, at one instant for the whole export. */
export interface TimelinessBasis {
  policy: WorkflowPolicy;
  asOf: string;
}

/** Turns a stored case and its deliveries into one export line's object. */
export function toExportedCase(
  record: StoredCase,
  deliveries: readonly StoredDelivery[],
  basis: TimelinessBasis,
): ExportedCase {
  const context = (record.context ?? {}) as Partial<CaseRecord['context']>;
  return {
    exportVersion: EXPORT_SCHEMA_VERSION,
    id: hex(record._id)!,
    reference: record.reference,
    state: record.state,
    version: record.version,
    machineVersion: record.machineVersion,
    category: record.category,
    urgent: record.urgent,
    jurisdiction: record.jurisdiction,
    consumerBody: record.consumerBody ?? null,
    locale: record.locale,
    channel: record.channel,
    respondent: record.respondent,
    transaction: {
      occurredAt: iso(record.transaction?.occurredAt),
      ...(record.transaction?.reference ? { reference: record.transaction.reference } : {}),
      amount: record.transaction?.amount,
    },
    narrative: record.narrative,
    desiredOutcome: record.desiredOutcome,
    ownerId: hex(record.ownerId),
    filedById: hex(record.filedById),
    assigneeId: hex(record.assigneeId),
    overdue: record.overdue === true,
    deadlines: record.deadlines ?? [],
    outcome: {
      response: context.responseOutcome ?? null,
      responseRejected: context.responseRejected === true,
      holdingResponse: context.holdingResponse === true,
      bodyReference: context.bodyReference ?? null,
      bodyDecision: context.bodyDecision ?? null,
      legalOutcome: context.legalOutcome ?? null,
    },
    filedAt: iso(record.filedAt),
    updatedAt: iso(record.updatedAt),
    evidenceCount: record.evidenceCount ?? 0,
    timeliness: timelinessOfCase(
      {
        jurisdiction: record.jurisdiction,
        category: record.category,
        state: record.state,
        consumerBody: record.consumerBody ?? null,
        deadlines: record.deadlines ?? [],
        timeline: record.timeline ?? [],
      },
      basis.policy,
      basis.asOf,
    ),
    lastHash: record.lastHash,
    timeline: timelineOf(record),
    evidence: evidenceManifest(record.evidence),
    notifications: deliveries.map(deliveryRecord),
  };
}
