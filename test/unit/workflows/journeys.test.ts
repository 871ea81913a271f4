import { getSimplePaths } from '@xstate/graph';
import { expect } from 'chai';
import type { AnyStateNode } from 'xstate';
import { complaintMachine, DEADLINE_KINDS, stateToPath } from '../../../workflows/index.ts';
import type { Actor, ComplaintContext, EventType } from '../../../workflows/index.ts';
import {
  addDays,
  complainant,
  event,
  factsFor,
  FILED_AT,
  officer,
  sweeper,
  TestCase,
} from './fixtures.ts';

type Journey = { name: string; ends: string; run: () => TestCase };

// Sends DEADLINE_PASSED the way the sweeper would: at the moment the clock runs out.
function sweep(c: TestCase, kind: (typeof DEADLINE_KINDS)[number]): void {
  const due = c.deadline(kind)?.dueAt;
  if (!due) expect.fail(`no running ${kind} clock`);
  c.at(due).must('DEADLINE_PASSED', sweeper, { deadline: kind });
}

const JOURNEYS: Journey[] = [
  {
    name: 'resolved in platform review',
    ends: 'resolved',
    run: () => {
      const c = new TestCase(factsFor('CN'));
      c.must('ASSIGN', officer, { officerId: officer.id });
      c.must('TRIAGE_ACCEPT', officer);
      c.at(addDays(FILED_AT, 1)).must('REQUEST_INFO', officer, { question: 'Which order number?' });
      c.at(addDays(FILED_AT, 3)).must('PROVIDE_INFO', complainant, { answer: 'Order 17' });
      c.must('REFER_TO_BANK', officer, { note: 'Asked the issuer for the settlement record' });
      c.at(addDays(FILED_AT, 6)).must('BANK_RESPONDED', officer, { note: 'Refund was never sent' });
      c.must('ISSUE_HOLDING_RESPONSE', officer, { reason: 'Waiting for the merchant' });
      c.at(addDays(FILED_AT, 20)).must('ISSUE_RESPONSE', officer, {
        outcome: 'upheld',
        remedy: 'Refund 1,299.00 CNY',
        message: 'We refunded you.',
      });
      c.must('ACCEPT_RESPONSE', complainant);
      return c;
    },
  },
  {
    name: 'CN escalated to 12315 then settled',
    ends: 'resolved',
    run: () => {
      const c = new TestCase(factsFor('CN', { category: 'unauthorized_transaction' }));
      c.must('TRIAGE_ACCEPT', officer);
      c.must('ISSUE_RESPONSE', officer, {
        outcome: 'rejected',
        message: 'The payment was authorised.',
      });
      c.must('REJECT_RESPONSE', complainant, { reason: 'I never authorised it' });
      expect(c.must('ESCALATE', complainant).context.consumerBody).to.equal('12315');
      c.at(addDays(FILED_AT, 2)).must('RECORD_SUBMISSION', officer, {
        externalReference: '12315-0042',
      });
      c.at(addDays(FILED_AT, 30)).must('RECORD_BODY_DECISION', officer, {
        decision: 'settled',
        note: 'Mediated refund',
      });
      return c;
    },
  },
  {
    name: 'US escalated to CFPB then referred to legal',
    ends: 'closed',
    run: () => {
      const c = new TestCase(
        factsFor('US', { respondent: { name: 'Acme Wallet', kind: 'platform' } }),
      );
      c.must('TRIAGE_ACCEPT', officer);
      c.must('ISSUE_RESPONSE', officer, { outcome: 'rejected', message: 'No error found.' });
      c.must('REJECT_RESPONSE', complainant);
      expect(c.must('ESCALATE', complainant).context.consumerBody).to.equal('CFPB');
      c.must('RECORD_SUBMISSION', officer, { externalReference: 'CFPB-260302-000001' });
      c.must('RECORD_BODY_DECISION', officer, {
        decision: 'rejected',
        note: 'Company response accepted',
      });
      c.must('REFER_TO_LEGAL', officer, { reason: 'large amount and negotiation failed' });
      c.must('RECORD_LEGAL_OUTCOME', officer, { outcome: 'settled', note: 'Settled before trial' });
      return c;
    },
  },
  {
    name: 'GB escalated after a missed deadline',
    ends: 'closed',
    run: () => {
      const c = new TestCase(factsFor('GB'));
      c.must('TRIAGE_ACCEPT', officer);
      sweep(c, 'finalResponse');
      expect(c.state).to.equal('platformReview.investigating');
      expect(c.must('ESCALATE', complainant).context.consumerBody).to.equal('FOS');
      sweep(c, 'bodyAcceptance');
      c.must('RECORD_SUBMISSION', officer, { externalReference: 'FOS-PNX-1234' });
      sweep(c, 'bodyMediation');
      expect(c.context.bodyDecision).to.equal('unresolved');
      c.must('CLOSE', officer, { reason: 'FOS could not resolve it; complainant informed' });
      return c;
    },
  },
  {
    name: 'withdrawn',
    ends: 'withdrawn',
    run: () => {
      const c = new TestCase(factsFor('DE'));
      c.must('WITHDRAW', complainant, { reason: 'The merchant refunded me' });
      return c;
    },
  },
  {
    name: 'rejected at triage',
    ends: 'closed',
    run: () => {
      const c = new TestCase(factsFor('BR'));
      sweep(c, 'acknowledge');
      c.must('TRIAGE_REJECT', officer, { reason: 'Duplicate of RD-2026-000001' });
      return c;
    },
  },
  {
    name: 'reopened',
    ends: 'resolved',
    run: () => {
      const c = new TestCase(factsFor('CN'));
      c.must('TRIAGE_ACCEPT', officer);
      c.must('ISSUE_RESPONSE', officer, { outcome: 'upheld', message: 'Refunded.' });
      c.must('ACCEPT_RESPONSE', complainant);
      c.at(addDays(FILED_AT, 40)).must('REOPEN', officer, { reason: 'The refund bounced' });
      c.must('ISSUE_RESPONSE', officer, { outcome: 'upheld', message: 'Refunded again.' });
      c.must('ACCEPT_RESPONSE', complainant);
      expect(c.context.reopenCount).to.equal(1);
      return c;
    },
  },
];

// One representative event per type (two for the body decision), with facts that satisfy every
// rule, so the graph walk reaches whatever the rules allow.
function representativeEvents() {
  const facts = factsFor('CN', {
    transaction: {
      occurredAt: '2026-02-20T10:00:00Z',
      amount: { amountMinor: 600_000, currency: 'CNY' },
    },
  });
  const e = (type: EventType, actor: Actor, payload: Record<string, unknown> = {}) =>
    event(type, actor, facts, FILED_AT, payload);
  return {
    facts,
    events: [
      e('TRIAGE_ACCEPT', officer),
      e('TRIAGE_REJECT', officer, { reason: 'Duplicate' }),
      e('ASSIGN', officer, { officerId: 'officer-2' }),
      e('REQUEST_INFO', officer, { question: 'Which order?' }),
      e('PROVIDE_INFO', complainant, { answer: 'Order 17' }),
      e('REFER_TO_BANK', officer),
      e('BANK_RESPONDED', officer, { note: 'Issuer replied' }),
      e('ISSUE_HOLDING_RESPONSE', officer, { reason: 'Waiting' }),
      e('ISSUE_RESPONSE', officer, { outcome: 'rejected', message: 'No error' }),
      e('ACCEPT_RESPONSE', complainant),
      e('REJECT_RESPONSE', complainant),
      e('ESCALATE', complainant),
      e('RECORD_SUBMISSION', officer, { externalReference: 'REF-1' }),
      e('RECORD_BODY_DECISION', officer, { decision: 'settled', note: 'Agreed' }),
      e('RECORD_BODY_DECISION', officer, { decision: 'rejected', note: 'No fault' }),
      e('REFER_TO_LEGAL', officer),
      e('RECORD_LEGAL_OUTCOME', officer, { outcome: 'discontinued', note: 'Dropped' }),
      e('CLOSE', officer, { reason: 'Done' }),
      e('WITHDRAW', complainant),
      e('REOPEN', officer, { reason: 'Reconsider' }),
      ...DEADLINE_KINDS.map((deadline) => e('DEADLINE_PASSED', sweeper, { deadline })),
    ],
  };
}

function leafPaths(node: AnyStateNode): string[] {
  const kids = Object.values(node.states);
  if (kids.length === 0) return [node.path.join('.')];
  return kids.flatMap(leafPaths);
}

describe('complaint journeys', () => {
  for (const journey of JOURNEYS) {
    it(`${journey.name} ends ${journey.ends} with no clock left running`, () => {
      const c = journey.run();
      expect(c.state).to.equal(journey.ends);
      expect(
        c.deadlines.filter((d) => d.status === 'running' || d.status === 'paused'),
      ).to.deep.equal([]);
    });
  }

  it('together visit every state the machine can reach, walking all its simple paths', () => {
    const { facts, events } = representativeEvents();
    // Only the flag that opens escalation early changes what is reachable, so states differ by
    // path plus that flag in review, and by path alone elsewhere; it keeps the walk finite.
    const serializeState = (snapshot: { value: unknown; context: ComplaintContext }) => {
      const path = stateToPath(snapshot.value as string);
      return /^(platformReview|responseIssued)/.test(path)
        ? `${path}|${snapshot.context.finalResponseMissed}`
        : path;
    };
    const paths = getSimplePaths(complaintMachine, {
      input: { actor: complainant, at: FILED_AT, facts },
      events,
      serializeState: serializeState as never,
    });
    const reachable = new Set(paths.map((p) => stateToPath(p.state.value)));
    expect([...reachable]).to.have.members(leafPaths(complaintMachine.root));

    const visited = new Set(JOURNEYS.flatMap((j) => j.run().visited));
    const uncovered = [...reachable].filter((state) => !visited.has(state));
    expect(uncovered, 'states no named journey visits').to.deep.equal([]);
  });
});
