import { assign, setup } from 'xstate';
import type {
  AssigneeTemplate,
  ComplainantTemplate,
  NotifyParams,
  SettleStatus,
} from './actions.ts';
import { initialContext } from './context.ts';
import type { ComplaintContext, ComplaintInput } from './context.ts';
import { checkActor } from './events.ts';
import type { WorkflowEvent } from './events.ts';
import { GUARD_CHECKS } from './guards.ts';
import type { Check, GuardName } from './guards.ts';
import { consumerBodyFor, DEADLINE_KINDS, DEFAULT_POLICY } from './policy.ts';
import type { DeadlineKind, WorkflowPolicy } from './policy.ts';

/**
 * Stored on every case. Bump it with any change to states, events or rules, and ship a
 * migration for stored state values, so old cases keep the rules they were filed under.
 */
export const MACHINE_VERSION = 1;
export const MACHINE_ID = 'complaint';

// The actions are declared, never implemented: XState's pure `transition()` hands them back to
// the server, which executes them. The no-op bodies exist only to type the params.
const declared =
  <P>() =>
  (_args: unknown, _params: P): void => {};

const toComplainant = (template: ComplainantTemplate) =>
  ({ type: 'notify', params: { template, to: 'complainant' } }) as const;
const toAssignee = (template: AssigneeTemplate) =>
  ({ type: 'notify', params: { template, to: 'assignee' } }) as const;
const startClock = (kind: DeadlineKind) => ({ type: 'startDeadline', params: { kind } }) as const;
const settleClocks = (kinds: DeadlineKind[], status: SettleStatus) =>
  ({ type: 'settleDeadlines', params: { kinds, status } }) as const;

function guardsFor(policy: WorkflowPolicy) {
  // Every guard also checks the actor, so the machine refuses a wrong sender even when it is
  // driven without the engine (the design makes the machine, not the server, own that rule).
  const guard =
    (check: Check) =>
    ({ context, event }: { context: ComplaintContext; event: WorkflowEvent }): boolean =>
      checkActor(event) === null && check(context, event, policy) === null;
  const guards = {} as Record<GuardName, ReturnType<typeof guard>>;
  for (const name of Object.keys(GUARD_CHECKS) as GuardName[]) {
    guards[name] = guard(GUARD_CHECKS[name]);
  }
  return guards;
}

/**
 * The complaint workflow under `policy` (deadlines, bodies, thresholds, reopen window).
 * States and events are described in workflows/README.md.
 */
export function createComplaintMachine(policy: WorkflowPolicy = DEFAULT_POLICY) {
  const base = setup({
    types: {} as {
      context: ComplaintContext;
      events: WorkflowEvent;
      input: ComplaintInput;
    },
    actions: {
      notify: declared<NotifyParams>(),
      startDeadline: declared<{ kind: DeadlineKind }>(),
      pauseDeadlines: declared<Record<string, never>>(),
      resumeDeadlines: declared<Record<string, never>>(),
      extendDeadline: declared<{ kind: 'finalResponse' }>(),
      settleDeadlines: declared<{ kinds: DeadlineKind[]; status: SettleStatus }>(),
    },
    guards: guardsFor(policy),
  });

  const stampEnd = base.assign({ terminalAt: ({ event }) => event.at });
  const endEntry = [stampEnd, settleClocks([...DEADLINE_KINDS], 'cancelled')];
  // A reopened case starts platform review afresh: earlier answers and decisions no longer count.
  const reopen = {
    guard: 'reopenAllowed' as const,
    target: '#complaint.platformReview',
    actions: [
      base.assign({
        terminalAt: null,
        reopenCount: ({ context }) => context.reopenCount + 1,
        holdingResponse: false,
        responseOutcome: null,
        responseRejected: false,
        finalResponseMissed: false,
        bodyReference: null,
        bodyDecision: null,
        legalOutcome: null,
      }),
      startClock('finalResponse'),
      toComplainant('reopened'),
    ],
  };

  const assignOfficer = {
    guard: 'actorAllowed' as const,
    actions: [
      base.assign({
        assigneeId: ({ event }) => (event.type === 'ASSIGN' ? event.officerId : null),
      }),
      toAssignee('assigned'),
    ],
  };
  const withdraw = {
    guard: 'actorAllowed' as const,
    target: '#complaint.withdrawn',
    actions: [toComplainant('withdrawn'), toAssignee('complainantWithdrew')],
  };
  // Respondent details the body needs, completed later: recorded in place, in any open state.
  const updateDetails = { guard: 'actorAllowed' as const };
  // The body is fixed when the complainant escalates, from the facts as they are then.
  const escalate = {
    guard: 'escalationAllowed' as const,
    target: '#complaint.escalated',
    actions: [
      base.assign({
        consumerBody: ({ event }) =>
          consumerBodyFor(policy, event.facts.jurisdiction, event.facts.respondent.kind),
      }),
      startClock('bodyAcceptance'),
      toComplainant('escalated'),
      toAssignee('complainantEscalated'),
    ],
  };

  const machine = base.createMachine({
    id: MACHINE_ID,
    description: 'A complaint from filing to resolution, escalation, legal referral or withdrawal.',
    context: ({ input }) => initialContext(input, policy),
    initial: 'filed',
    states: {
      filed: {
        description: 'Received, waiting for an officer to triage it. The acknowledge clock runs.',
        entry: [toComplainant('filed'), startClock('acknowledge')],
        on: {
          TRIAGE_ACCEPT: {
            guard: 'actorAllowed',
            target: 'platformReview',
            actions: [
              settleClocks(['acknowledge'], 'met'),
              startClock('finalResponse'),
              toComplainant('acknowledged'),
            ],
          },
          TRIAGE_REJECT: {
            guard: 'reasonGiven',
            target: 'closed',
            actions: [settleClocks(['acknowledge'], 'met'), toComplainant('rejectedAtTriage')],
          },
          DEADLINE_PASSED: {
            guard: 'acknowledgeDeadline',
            actions: [settleClocks(['acknowledge'], 'missed'), toAssignee('deadlinePassed')],
          },
          ASSIGN: assignOfficer,
          WITHDRAW: withdraw,
          UPDATE_DETAILS: updateDetails,
        },
      },

      platformReview: {
        description:
          'The platform investigates and owes a final response; the clock pauses while it waits on the complainant.',
        initial: 'investigating',
        on: {
          ISSUE_RESPONSE: {
            guard: 'actorAllowed',
            target: 'responseIssued',
            actions: [
              assign({ responseOutcome: ({ event }) => event.outcome }),
              settleClocks(['finalResponse'], 'met'),
              toComplainant('responseIssued'),
            ],
          },
          ISSUE_HOLDING_RESPONSE: {
            guard: 'holdingResponseAllowed',
            actions: [
              assign({ holdingResponse: true }),
              { type: 'extendDeadline', params: { kind: 'finalResponse' } },
              toComplainant('holdingResponse'),
            ],
          },
          DEADLINE_PASSED: {
            guard: 'finalResponseDeadline',
            actions: [
              assign({ finalResponseMissed: true }),
              settleClocks(['finalResponse'], 'missed'),
              toAssignee('deadlinePassed'),
              toComplainant('responseOverdue'),
            ],
          },
          ESCALATE: escalate,
          ASSIGN: assignOfficer,
          WITHDRAW: withdraw,
          UPDATE_DETAILS: updateDetails,
        },
        states: {
          investigating: {
            description: 'An officer works the case.',
            on: {
              REQUEST_INFO: {
                guard: 'actorAllowed',
                target: 'awaitingComplainant',
                actions: [{ type: 'pauseDeadlines', params: {} }, toComplainant('infoRequested')],
              },
              REFER_TO_BANK: { guard: 'actorAllowed', target: 'awaitingBank' },
            },
          },
          awaitingComplainant: {
            description: 'Waiting for the complainant to answer a question; the clock is paused.',
            on: {
              PROVIDE_INFO: {
                guard: 'actorAllowed',
                target: 'investigating',
                actions: [
                  { type: 'resumeDeadlines', params: {} },
                  toAssignee('complainantReplied'),
                ],
              },
            },
          },
          awaitingBank: {
            description: 'Waiting for the issuing bank; the clock keeps running.',
            on: { BANK_RESPONDED: { guard: 'actorAllowed', target: 'investigating' } },
          },
        },
      },

      responseIssued: {
        description: "The platform's response is out; the complainant accepts or rejects it.",
        initial: 'awaitingReply',
        on: {
          ACCEPT_RESPONSE: {
            guard: 'actorAllowed',
            target: 'resolved',
            actions: [toComplainant('resolved'), toAssignee('responseAccepted')],
          },
          ESCALATE: escalate,
          CLOSE: { guard: 'reasonGiven', target: 'closed', actions: [toComplainant('closed')] },
          ASSIGN: assignOfficer,
          WITHDRAW: withdraw,
          UPDATE_DETAILS: updateDetails,
        },
        states: {
          awaitingReply: {
            description: 'Waiting for the complainant to accept or reject the response.',
            on: {
              REJECT_RESPONSE: {
                guard: 'actorAllowed',
                target: 'rejected',
                actions: [assign({ responseRejected: true }), toAssignee('responseRejected')],
              },
            },
          },
          rejected: {
            description: 'The complainant rejected the response and may now escalate.',
          },
        },
      },

      escalated: {
        description: 'With the consumer body for the jurisdiction (12315, CFPB, FTC, FOS, ADR-xx).',
        initial: 'preparingSubmission',
        on: {
          ASSIGN: assignOfficer,
          WITHDRAW: withdraw,
          UPDATE_DETAILS: updateDetails,
        },
        states: {
          preparingSubmission: {
            description: 'The dossier goes to the body, which must accept the complaint.',
            on: {
              RECORD_SUBMISSION: {
                guard: 'actorAllowed',
                target: 'submitted',
                actions: [
                  assign({ bodyReference: ({ event }) => event.externalReference }),
                  settleClocks(['bodyAcceptance'], 'met'),
                  startClock('bodyMediation'),
                  toComplainant('submittedToBody'),
                ],
              },
              DEADLINE_PASSED: {
                guard: 'bodyAcceptanceDeadline',
                actions: [settleClocks(['bodyAcceptance'], 'missed'), toAssignee('deadlinePassed')],
              },
            },
          },
          submitted: {
            description: 'The body accepted the complaint and mediates; its mediation clock runs.',
            on: {
              RECORD_BODY_DECISION: [
                {
                  guard: 'settledByBody',
                  target: '#complaint.resolved',
                  actions: [
                    assign({ bodyDecision: ({ event }) => event.decision }),
                    settleClocks(['bodyMediation'], 'met'),
                    toComplainant('resolved'),
                  ],
                },
                {
                  guard: 'actorAllowed',
                  target: 'decided',
                  actions: [
                    assign({ bodyDecision: ({ event }) => event.decision }),
                    settleClocks(['bodyMediation'], 'met'),
                    toComplainant('bodyDecided'),
                  ],
                },
              ],
              DEADLINE_PASSED: {
                guard: 'bodyMediationDeadline',
                target: 'decided',
                actions: [
                  assign({ bodyDecision: 'unresolved' }),
                  settleClocks(['bodyMediation'], 'missed'),
                  toAssignee('deadlinePassed'),
                  toComplainant('bodyDecided'),
                ],
              },
            },
          },
          decided: {
            description:
              'The body decided without a settlement, or its mediation ran out (unresolved).',
            on: {
              REFER_TO_LEGAL: {
                guard: 'legalReferralAllowed',
                target: '#complaint.legalReferral',
                actions: [toComplainant('referredToLegal')],
              },
              CLOSE: {
                guard: 'reasonGiven',
                target: '#complaint.closed',
                actions: [toComplainant('closed')],
              },
            },
          },
        },
      },

      legalReferral: {
        description: 'With legal counsel after the consumer body; ends with a legal outcome.',
        on: {
          RECORD_LEGAL_OUTCOME: {
            guard: 'actorAllowed',
            target: 'closed',
            actions: [
              assign({ legalOutcome: ({ event }) => event.outcome }),
              toComplainant('closed'),
            ],
          },
          ASSIGN: assignOfficer,
          WITHDRAW: withdraw,
          UPDATE_DETAILS: updateDetails,
        },
      },

      // Not `type: 'final'`: REOPEN leaves these, and a final state would stop the actor.
      resolved: {
        description: 'The complainant accepted the response or the body settled it.',
        entry: endEntry,
        on: { REOPEN: reopen },
      },
      withdrawn: {
        description: 'The complainant withdrew the complaint.',
        entry: endEntry,
        on: { REOPEN: reopen },
      },
      closed: {
        description: 'Rejected at triage, closed by an officer, or ended by a legal outcome.',
        entry: endEntry,
        on: { REOPEN: reopen },
      },
    },
  });
  POLICIES.set(machine, policy);
  return machine;
}

export type ComplaintMachine = ReturnType<typeof createComplaintMachine>;

// The engine needs the policy a machine was built with to explain its refusals.
const POLICIES = new WeakMap<object, WorkflowPolicy>();

/** The policy `machine` was created with. */
export function policyOf(machine: ComplaintMachine): WorkflowPolicy {
  return POLICIES.get(machine) ?? DEFAULT_POLICY;
}

/** The machine built with `DEFAULT_POLICY`: what the server runs for `MACHINE_VERSION`. */
export const complaintMachine = createComplaintMachine();
