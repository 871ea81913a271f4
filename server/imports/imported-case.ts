import type { Types } from 'mongoose';
import {
  MACHINE_VERSION,
  consumerBodyFor,
  isUrgent,
  pathToStateValue,
  type ComplaintContext,
  type WorkflowPolicy,
} from '../../workflows/index.ts';
import { dueDayOf, dueHourOf, listingFields } from '../cases/derived.ts';
import type { CaseRecord } from '../cases/model.ts';
import { GENESIS_HASH, sealEntry } from '../cases/timeline.ts';
import type { CfpbCase } from './cfpb.ts';

export const IMPORT_ACTOR = { id: 'import', role: 'system' } as const;

export interface ImportedIds {
  caseId: Types.ObjectId;
  ownerId: Types.ObjectId;
  reference: string;
}

/** The workflow context of a row: the state the CFPB reports, with its outcome. */
function contextOf(policy: WorkflowPolicy, row: CfpbCase): ComplaintContext {
  return {
    jurisdiction: 'US',
    category: row.category,
    urgent: isUrgent(row.category),
    filedAt: row.filedAt.toISOString(),
    assigneeId: null,
    consumerBody: consumerBodyFor(policy, 'US', row.respondent.kind),
    holdingResponse: false,
    responseOutcome: row.responseOutcome,
    responseRejected: row.responseRejected,
    finalResponseMissed: row.finalResponseMissed,
    bodyReference: null,
    bodyDecision: null,
    legalOutcome: null,
    terminalAt: row.terminalAt?.toISOString() ?? null,
    reopenCount: 0,
  };
}

/** A complete case document for one mapped row, sealed with its IMPORTED genesis entry. */
export function buildImportedCase(
  policy: WorkflowPolicy,
  row: CfpbCase,
  ids: ImportedIds,
  at: Date,
): CaseRecord {
  const context = contextOf(policy, row);
  const amount = { amountMinor: 0, currency: 'USD' };
  const entry = sealEntry(GENESIS_HASH, {
    seq: 1,
    at: at.toISOString(),
    type: 'IMPORTED',
    actor: { ...IMPORT_ACTOR },
    fromState: null,
    toState: row.state,
    data: {
      source: 'cfpb',
      sourceId: row.sourceId,
      reference: ids.reference,
      category: row.category,
      jurisdiction: 'US',
      channel: 'import',
      amount,
      cfpb: row.provenance,
    },
  });
  const terminal = row.state === 'resolved' || row.state === 'closed';
  return {
    _id: ids.caseId,
    reference: ids.reference,
    machineVersion: MACHINE_VERSION,
    state: row.state,
    stateValue: pathToStateValue(row.state),
    context,
    version: 1,
    ownerId: ids.ownerId,
    filedById: ids.ownerId,
    assigneeId: null,
    category: row.category,
    urgent: isUrgent(row.category),
    jurisdiction: 'US',
    locale: 'en',
    channel: 'import',
    respondent: row.respondent,
    // The CFPB does not publish the transaction's date or amount: the date received and 0 stand in.
    transaction: { occurredAt: row.filedAt, amount },
    narrative: row.narrative,
    desiredOutcome: row.desiredOutcome,
    consumerBody: context.consumerBody,
    deadlines: row.deadlines,
    // Every imported clock is settled (met or missed), so the sweeper never fires on old cases.
    nextDueAt: null,
    dueHour: dueHourOf(null),
    dueDay: dueDayOf(null),
    overdue: !terminal && row.deadlines.some((d) => d.status === 'missed'),
    ...listingFields({ state: row.state, assigneeId: null, reference: ids.reference }),
    evidenceCount: 0,
    timeline: [entry],
    lastHash: entry.hash,
    filedAt: row.filedAt,
    updatedAt: at,
  };
}

/** The CFPB Complaint ID an imported case was made from. */
export function sourceIdOf(record: CaseRecord): string {
  return String((record.timeline[0]!.data as { sourceId: string }).sourceId);
}
