import { randomUUID } from 'node:crypto';
import type { Deadline, WorkflowAction } from '../../workflows/index.ts';
import type { OutboxItem } from './journal.ts';
import type { CaseRecord } from './model.ts';
import type { CaseMutation } from './mutations.ts';
import type { CaseRepository } from './repository.ts';
import type { TimelineEntry } from './timeline.ts';

/**
 * What one change does: a timeline entry, and a workflow step and/or evidence changes, in
 * domain terms (server/cases/mutations.ts); never database operators.
 */
export interface CaseChange {
  entry: Omit<TimelineEntry, 'prevHash' | 'hash' | 'seq'>;
  workflow?: {
    state: string;
    stateValue: unknown;
    context: CaseRecord['context'];
    deadlines: Deadline[];
    actions: readonly WorkflowAction[];
  };
  evidence?: Extract<CaseMutation, { kind: 'evidence-added' | 'evidence-flagged' }>;
  /** UPDATE_DETAILS: what it completes on the case besides its workflow step. */
  details?: Extract<CaseMutation, { kind: 'details-completed' }>;
}

export type Commit = (record: CaseRecord, change: CaseChange) => Promise<CaseRecord>;

/** The emails a step's `notify` actions ask for; one without a recipient (no assignee) is none. */
export function outboxItems(
  actions: readonly WorkflowAction[],
  entrySeq: number,
  ownerId: string,
  assigneeId: string | null,
  at: string,
): OutboxItem[] {
  const items: OutboxItem[] = [];
  for (const action of actions) {
    if (action.type !== 'notify') continue;
    const recipientId = action.params.to === 'complainant' ? ownerId : assigneeId;
    if (!recipientId) continue;
    items.push({
      id: randomUUID(),
      template: action.params.template,
      recipientId,
      entrySeq,
      createdAt: at,
    });
  }
  return items;
}

/** The mutations a change records: the workflow step first, then the evidence change. */
function mutationsOf(change: CaseChange): CaseMutation[] {
  const workflow = change.workflow;
  return [
    ...(workflow
      ? [
          {
            kind: 'workflow' as const,
            state: workflow.state,
            stateValue: workflow.stateValue,
            context: workflow.context,
            deadlines: workflow.deadlines,
          },
        ]
      : []),
    ...(change.evidence ? [change.evidence] : []),
    ...(change.details ? [change.details] : []),
  ];
}

/** Appends one change through the repository, with the emails its workflow actions ask for. */
export function createCommit(deps: { repository: Pick<CaseRepository, 'append'> }): Commit {
  return (record, change) => {
    const workflow = change.workflow;
    return deps.repository.append(record, {
      entry: change.entry,
      mutations: mutationsOf(change),
      notifications: (seq) =>
        outboxItems(
          workflow?.actions ?? [],
          seq,
          record.ownerId.toHexString(),
          workflow?.context.assigneeId ?? null,
          change.entry.at,
        ),
    });
  };
}
