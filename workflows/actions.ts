import type { DeadlineKind } from './policy.ts';

// Templates the complainant receives: one for every status change they can see.
export const COMPLAINANT_TEMPLATES = [
  'filed',
  'acknowledged',
  'rejectedAtTriage',
  'infoRequested',
  'holdingResponse',
  'responseIssued',
  'responseOverdue',
  'escalated',
  'submittedToBody',
  'bodyDecided',
  'referredToLegal',
  'resolved',
  'closed',
  'withdrawn',
  'reopened',
] as const;

// Templates the assignee receives: things that need an officer's next move.
export const ASSIGNEE_TEMPLATES = [
  'assigned',
  'complainantReplied',
  'responseAccepted',
  'responseRejected',
  'complainantEscalated',
  'complainantWithdrew',
  'deadlinePassed',
] as const;

export type ComplainantTemplate = (typeof COMPLAINANT_TEMPLATES)[number];
export type AssigneeTemplate = (typeof ASSIGNEE_TEMPLATES)[number];

/** A message to enqueue. `assignee` means the case's current assignee; skip it when there is none. */
export type NotifyParams =
  | { template: ComplainantTemplate; to: 'complainant' }
  | { template: AssigneeTemplate; to: 'assignee' };

export type SettleStatus = 'met' | 'missed' | 'cancelled';

/**
 * The side effects a transition asks for. The machine never runs them: `decide` returns them and
 * the server executes them (deadline actions through `applyDeadlineActions`, `notify` through its
 * outbox) in the same update that stores the new state.
 */
export type WorkflowAction =
  | { type: 'notify'; params: NotifyParams }
  | { type: 'startDeadline'; params: { kind: DeadlineKind } }
  | { type: 'pauseDeadlines'; params: Record<string, never> }
  | { type: 'resumeDeadlines'; params: Record<string, never> }
  | { type: 'extendDeadline'; params: { kind: 'finalResponse' } }
  | { type: 'settleDeadlines'; params: { kinds: DeadlineKind[]; status: SettleStatus } };

export type WorkflowActionType = WorkflowAction['type'];

export const WORKFLOW_ACTION_TYPES = [
  'notify',
  'startDeadline',
  'pauseDeadlines',
  'resumeDeadlines',
  'extendDeadline',
  'settleDeadlines',
] as const satisfies readonly WorkflowActionType[];
