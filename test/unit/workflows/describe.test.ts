import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  complaintMachine,
  describeWorkflow,
  EVENT_TYPES,
  MACHINE_VERSION,
  toDot,
  toMermaid,
  WorkflowDescription,
} from '../../../workflows/index.ts';
import type { StateDescription } from '../../../workflows/index.ts';

const flatten = (states: StateDescription[]): StateDescription[] =>
  states.flatMap((s) => [s, ...flatten(s.states)]);

describe('workflow description', () => {
  const described = describeWorkflow(complaintMachine);
  const states = flatten(described.states);
  const byPath = (path: string) => states.find((s) => s.path === path);

  it('matches its schema (the OpenAPI response) exactly', () => {
    const json = JSON.parse(JSON.stringify(described)) as unknown;
    expect(WorkflowDescription.parse(json)).to.deep.equal(json);
  });

  it('names the machine, its version and its initial state', () => {
    expect(described).to.deep.include({
      machineId: 'complaint',
      machineVersion: MACHINE_VERSION,
      initial: 'filed',
    });
  });

  it('lists every state of the design, nested', () => {
    expect(described.states.map((s) => s.key)).to.deep.equal([
      'filed',
      'platformReview',
      'responseIssued',
      'escalated',
      'legalReferral',
      'resolved',
      'withdrawn',
      'closed',
    ]);
    expect(byPath('platformReview')?.states.map((s) => s.key)).to.deep.equal([
      'investigating',
      'awaitingComplainant',
      'awaitingBank',
    ]);
    expect(byPath('escalated')?.initial).to.equal('preparingSubmission');
  });

  it('gives each state its events, targets, rules and actions', () => {
    expect(byPath('escalated.submitted')?.transitions).to.deep.include({
      event: 'RECORD_BODY_DECISION',
      target: 'resolved',
      guard: 'settledByBody',
      actions: [
        { type: 'settleDeadlines', params: { kinds: ['bodyMediation'], status: 'met' } },
        { type: 'notify', params: { template: 'resolved', to: 'complainant' } },
      ],
    });
    expect(byPath('filed')?.entry).to.deep.equal([
      { type: 'notify', params: { template: 'filed', to: 'complainant' } },
      { type: 'startDeadline', params: { kind: 'acknowledge' } },
    ]);
    const holding = byPath('platformReview')?.transitions.find(
      (t) => t.event === 'ISSUE_HOLDING_RESPONSE',
    );
    expect(holding).to.include({ target: null, guard: 'holdingResponseAllowed' });
  });

  it('describes every event with its senders, payload fields and states', () => {
    expect(described.events.map((e) => e.type)).to.deep.equal(EVENT_TYPES);
    const response = described.events.find((e) => e.type === 'ISSUE_RESPONSE');
    expect(response?.roles).to.deep.equal(['officer']);
    expect(response?.payload).to.deep.include({
      name: 'outcome',
      required: true,
      type: 'string',
      enum: ['upheld', 'partially_upheld', 'rejected'],
    });
    expect(response?.payload.find((f) => f.name === 'remedy')).to.include({
      required: false,
      maxLength: 2000,
    });
    const escalate = described.events.find((e) => e.type === 'ESCALATE');
    expect(escalate).to.deep.include({ ownerOnly: true, payload: [] });
    expect(escalate?.acceptedIn).to.have.members(['platformReview', 'responseIssued']);
  });

  it('includes the policy table with the body each jurisdiction uses', () => {
    expect(described.policy.reopenWindowDays).to.equal(90);
    expect(described.policy.jurisdictions.GB.deadlines.extendedFinalResponse).to.deep.equal({
      amount: 35,
      unit: 'businessDays',
    });
    expect(described.policy.consumerBodies).to.deep.include({
      US: { platform: 'CFPB', merchant: 'FTC', bank: 'CFPB' },
      default: { platform: null, merchant: null, bank: null },
    });
    expect(JSON.parse(JSON.stringify(described))).to.deep.equal(described);
  });
});

describe('workflow diagrams', () => {
  const mermaid = toMermaid(complaintMachine);

  it('draws a Mermaid state diagram with every state and transition', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n  [*] --> filed\n')).to.equal(true);
    expect(mermaid).to.include('  state platformReview {\n    [*] --> investigating');
    expect(mermaid).to.include('decided --> legalReferral : REFER_TO_LEGAL [legalReferralAllowed]');
    expect(mermaid).to.include('closed --> platformReview : REOPEN [reopenAllowed]');
    expect(mermaid).to.match(/note right of platformReview : in place - ISSUE_HOLDING_RESPONSE/);
  });

  it('keeps docs/workflow.mmd in step with the machine (run npm run workflow:diagram)', () => {
    const committed = readFileSync(new URL('../../../docs/workflow.mmd', import.meta.url), 'utf8');
    expect(committed.slice(committed.indexOf('\n') + 1)).to.equal(mermaid);
  });

  it('draws a Graphviz graph with a cluster per compound state', () => {
    const dot = toDot(complaintMachine);
    expect(dot).to.match(/^digraph complaint \{/);
    for (const cluster of ['platformReview', 'responseIssued', 'escalated']) {
      expect(dot).to.include(`subgraph "cluster_${cluster}"`);
    }
    expect(dot).to.include(
      '"filed" -> "platformReview.investigating" [label="TRIAGE_ACCEPT", lhead="cluster_platformReview"]',
    );
  });
});
