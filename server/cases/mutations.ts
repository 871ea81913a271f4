import { Types } from 'mongoose';
import type { ComplaintContext, Deadline } from '../../workflows/index.ts';
import { dueDayOf, dueHourOf, isTerminal, stateFields } from './derived.ts';
import type { EvidenceItem } from './evidence-item.ts';
import type { CaseRecord } from './model.ts';
import type { TimelineEntry } from './timeline.ts';
import { NOTE_ENTRY } from './notes.ts';

/**
 * What a change does to a case, in domain terms: this is what the journal records (never
 * database operators), and the one place that turns it into the stored fields, for the
 * writer and for the roll-forward of a dead writer's change alike.
 */
export type CaseMutation =
  | {
      kind: 'workflow';
      state: string;
      stateValue: unknown;
      context: ComplaintContext;
      deadlines: Deadline[];
    }
  | { kind: 'evidence-added'; items: EvidenceItem[] }
  | { kind: 'evidence-flagged'; evidenceId: string }
  | {
      /** UPDATE_DETAILS: the respondent's address and/or registration number, as given. */
      kind: 'details-completed';
      respondent: { address?: string; registrationNumber?: string };
    };

/** The running deadline due first, or null: what the sweeper's buckets are built from. */
export function nextDueAt(deadlines: readonly Deadline[]): Date | null {
  const due = deadlines
    .filter((d) => d.status === 'running' && d.dueAt)
    .map((d) => Date.parse(d.dueAt!))
    .sort((a, b) => a - b);
  return due.length ? new Date(due[0]!) : null;
}

function isOverdue(state: string, deadlines: readonly Deadline[]): boolean {
  return !isTerminal(state) && deadlines.some((d) => d.status === 'missed');
}

export interface CaseUpdate {
  set: Record<string, unknown>;
  push: Record<string, unknown[]>;
}

/**
 * The fields `mutations` write on `record` (the case at the version before), with the sealed
 * `entry` appended to the timeline and the version raised.
 */
export function caseUpdateFor(
  record: Pick<CaseRecord, 'evidenceCount' | 'evidence' | 'respondent'>,
  mutations: readonly CaseMutation[],
  entry: TimelineEntry,
  version: number,
): CaseUpdate {
  const set: Record<string, unknown> = {};
  const push: Record<string, unknown[]> = {};
  let evidence = record.evidence ?? [];
  for (const mutation of mutations) {
    switch (mutation.kind) {
      case 'workflow': {
        const due = nextDueAt(mutation.deadlines);
        Object.assign(set, {
          state: mutation.state,
          stateValue: mutation.stateValue,
          context: mutation.context,
          deadlines: mutation.deadlines,
          nextDueAt: due,
          dueHour: dueHourOf(due),
          dueDay: dueDayOf(due),
          overdue: isOverdue(mutation.state, mutation.deadlines),
          ...stateFields(mutation.state, mutation.context.assigneeId),
          assigneeId: mutation.context.assigneeId
            ? new Types.ObjectId(mutation.context.assigneeId)
            : null,
          consumerBody: mutation.context.consumerBody,
        });
        break;
      }
      case 'evidence-added':
        set.evidenceCount = record.evidenceCount + mutation.items.length;
        push.evidence = [...(push.evidence ?? []), ...mutation.items];
        break;
      case 'evidence-flagged':
        evidence = evidence.map((item) =>
          item.id === mutation.evidenceId ? { ...item, flagged: true } : item,
        );
        set.evidence = evidence;
        break;
      case 'details-completed':
        // The whole subdocument, so a roll-forward writes the same fields the writer did.
        set.respondent = { ...record.respondent, ...mutation.respondent };
        break;
    }
  }
  Object.assign(set, { lastHash: entry.hash, version });
  // `updatedAt` is the last change the complainant can see: an internal note leaves it alone.
  if (entry.type !== NOTE_ENTRY) set.updatedAt = new Date(entry.at);
  push.timeline = [entry];
  return { set, push };
}

/** The evidence hashes a journal entry adds, in this format or the older `push` one. */
export function evidenceShasOf(change: {
  mutations?: readonly CaseMutation[];
  push?: Record<string, unknown>;
}): string[] {
  const shas: string[] = [];
  for (const mutation of change.mutations ?? []) {
    if (mutation.kind === 'evidence-added') shas.push(...mutation.items.map((i) => i.sha256));
  }
  const legacy = change.push?.evidence;
  if (Array.isArray(legacy)) {
    for (const item of legacy as { sha256?: unknown }[]) {
      if (typeof item?.sha256 === 'string') shas.push(item.sha256);
    }
  }
  return shas;
}
