import { expect } from 'chai';
import { transition } from 'xstate';
import {
  complaintMachine,
  createComplaintMachine,
  DEFAULT_POLICY,
  MACHINE_VERSION,
  restore,
} from '../../../workflows/index.ts';
import type { Decision, WorkflowAction } from '../../../workflows/index.ts';
import {
  addDays,
  complainant,
  COMPLETE_COMPLAINANT,
  decided,
  escalated,
  event,
  factsFor,
  FILED_AT,
  inReview,
  officer,
  submitted,
  sweeper,
  TestCase,
  withResponse,
} from './fixtures.ts';

const refusal = (decision: Decision): string => {
  if (decision.ok || decision.code === 'not_accepted') {
    expect.fail(`expected a refusal with a reason, got ${JSON.stringify(decision)}`);
  }
  return decision.reason;
};

const notifies = (actions: WorkflowAction[]) =>
  actions.filter((a) => a.type === 'notify').map((a) => `${a.params.to}:${a.params.template}`);

describe('complaint machine', () => {
  it('is version 1 and starts in filed', () => {
    expect(MACHINE_VERSION).to.equal(1);
    expect(new TestCase().state).to.equal('filed');
  });

  describe('filing', () => {
    it('tells the complainant and starts the acknowledge clock', () => {
      const c = new TestCase();
      expect(c.lastActions).to.deep.equal([
        { type: 'notify', params: { template: 'filed', to: 'complainant' } },
        { type: 'startDeadline', params: { kind: 'acknowledge' } },
      ]);
      expect(c.deadline('acknowledge')).to.include({ status: 'running' });
    });

    it('records the filing facts in plain-data context', () => {
      const c = new TestCase(factsFor('US', { category: 'account_compromised' }));
      expect(c.context).to.deep.include({
        jurisdiction: 'US',
        category: 'account_compromised',
        urgent: true,
        filedAt: FILED_AT,
        consumerBody: 'CFPB',
        reopenCount: 0,
        terminalAt: null,
      });
    });
  });

  describe('triage', () => {
    it('TRIAGE_ACCEPT meets the acknowledge clock and starts the final-response clock', () => {
      const c = new TestCase();
      const r = c.must('TRIAGE_ACCEPT', officer);
      expect(r.state).to.equal('platformReview.investigating');
      expect(r.actions).to.deep.equal([
        { type: 'settleDeadlines', params: { kinds: ['acknowledge'], status: 'met' } },
        { type: 'startDeadline', params: { kind: 'finalResponse' } },
        { type: 'notify', params: { template: 'acknowledged', to: 'complainant' } },
      ]);
      expect(c.deadline('acknowledge')?.status).to.equal('met');
      expect(c.deadline('finalResponse')?.status).to.equal('running');
    });

    it('TRIAGE_REJECT closes the case with a reason', () => {
      const c = new TestCase();
      const r = c.must('TRIAGE_REJECT', officer, { reason: 'Duplicate of RD-2026-000001' });
      expect(r.state).to.equal('closed');
      expect(c.context.terminalAt).to.equal(FILED_AT);
      expect(notifies(r.actions)).to.deep.equal(['complainant:rejectedAtTriage']);
      expect(c.deadline('acknowledge')?.status).to.equal('met');
    });

    it('TRIAGE_REJECT without a reason is refused', () => {
      const c = new TestCase();
      expect(refusal(c.send('TRIAGE_REJECT', officer, { reason: '   ' }))).to.equal(
        'TRIAGE_REJECT needs a reason',
      );
      expect(c.state).to.equal('filed');
    });

    it('a missed acknowledge clock is recorded and the assignee told, the state stays', () => {
      const c = new TestCase().at(addDays(FILED_AT, 2));
      const r = c.must('DEADLINE_PASSED', sweeper, { deadline: 'acknowledge' });
      expect(r.changedState).to.equal(false);
      expect(c.deadline('acknowledge')?.status).to.equal('missed');
      expect(notifies(r.actions)).to.deep.equal(['assignee:deadlinePassed']);
    });
  });

  describe('ASSIGN', () => {
    const open: Array<[string, () => TestCase]> = [
      ['filed', () => new TestCase()],
      ['platformReview', () => inReview()],
      ['responseIssued', () => withResponse()],
      ['escalated', () => escalated()],
      [
        'legalReferral',
        () => {
          const c = decided();
          c.must('REFER_TO_LEGAL', officer, { reason: 'Large amount and negotiation failed' });
          return c;
        },
      ],
    ];
    for (const [name, make] of open) {
      it(`sets the assignee in ${name} without changing state`, () => {
        const c = make();
        const before = c.state;
        const r = c.must('ASSIGN', officer, { officerId: 'officer-7' });
        expect(r.changedState).to.equal(false);
        expect(r.state).to.equal(before);
        expect(r.context.assigneeId).to.equal('officer-7');
        expect(notifies(r.actions)).to.deep.equal(['assignee:assigned']);
      });
    }
  });

  describe('platform review', () => {
    it('REQUEST_INFO waits on the complainant and pauses the clock', () => {
      const c = inReview();
      const r = c
        .at(addDays(FILED_AT, 3))
        .must('REQUEST_INFO', officer, { question: 'Which order?' });
      expect(r.state).to.equal('platformReview.awaitingComplainant');
      expect(r.actions[0]).to.deep.equal({ type: 'pauseDeadlines', params: {} });
      expect(notifies(r.actions)).to.deep.equal(['complainant:infoRequested']);
      expect(c.deadline('finalResponse')).to.include({ status: 'paused', dueAt: null });
    });

    it('PROVIDE_INFO resumes the clock with the time left and tells the assignee', () => {
      const c = inReview(factsFor('US'));
      const due = c.deadline('finalResponse')?.dueAt;
      c.at(addDays(FILED_AT, 3)).must('REQUEST_INFO', officer, { question: 'Which order?' });
      const r = c
        .at(addDays(FILED_AT, 8))
        .must('PROVIDE_INFO', complainant, { answer: 'Order 17' });
      expect(r.state).to.equal('platformReview.investigating');
      expect(r.actions[0]).to.deep.equal({ type: 'resumeDeadlines', params: {} });
      expect(notifies(r.actions)).to.deep.equal(['assignee:complainantReplied']);
      expect(c.deadline('finalResponse')?.dueAt).to.equal(addDays(due!, 5));
    });

    it('REFER_TO_BANK and BANK_RESPONDED leave the clock running', () => {
      const c = inReview();
      expect(c.must('REFER_TO_BANK', officer, { note: 'Asked the issuer' }).state).to.equal(
        'platformReview.awaitingBank',
      );
      expect(c.deadline('finalResponse')?.status).to.equal('running');
      expect(c.must('BANK_RESPONDED', officer, { note: 'Issuer confirms' }).state).to.equal(
        'platformReview.investigating',
      );
    });

    it('ISSUE_RESPONSE meets the final-response clock, even from a paused state', () => {
      const c = inReview();
      c.must('REQUEST_INFO', officer, { question: 'Which order?' });
      const r = c.must('ISSUE_RESPONSE', officer, {
        outcome: 'partially_upheld',
        remedy: 'Refund half',
        message: 'We refund half.',
      });
      expect(r.state).to.equal('responseIssued.awaitingReply');
      expect(r.context.responseOutcome).to.equal('partially_upheld');
      expect(c.deadline('finalResponse')?.status).to.equal('met');
      expect(notifies(r.actions)).to.deep.equal(['complainant:responseIssued']);
    });

    describe('holding response', () => {
      it('extends the final-response clock in place and tells the complainant', () => {
        const c = inReview(factsFor('GB'));
        const r = c.must('ISSUE_HOLDING_RESPONSE', officer, {
          reason: 'Waiting on the card scheme',
        });
        expect(r.changedState).to.equal(false);
        expect(r.context.holdingResponse).to.equal(true);
        expect(r.actions).to.deep.include({
          type: 'extendDeadline',
          params: { kind: 'finalResponse' },
        });
        expect(notifies(r.actions)).to.deep.equal(['complainant:holdingResponse']);
        expect(c.deadline('finalResponse')).to.include({
          extended: true,
          dueAt: '2026-04-22T09:00:00.000Z',
        });
      });

      it('is refused a second time', () => {
        const c = inReview(factsFor('GB'));
        c.must('ISSUE_HOLDING_RESPONSE', officer, { reason: 'Waiting on the card scheme' });
        expect(
          refusal(c.send('ISSUE_HOLDING_RESPONSE', officer, { reason: 'Still waiting' })),
        ).to.match(/already issued/);
      });

      it('is refused where no extended period exists', () => {
        const c = inReview(factsFor('BR'));
        expect(refusal(c.send('ISSUE_HOLDING_RESPONSE', officer, { reason: 'Busy' }))).to.equal(
          'no extended final-response period applies in jurisdiction BR',
        );
      });

      it('is refused once the final-response clock ran out', () => {
        const c = inReview(factsFor('GB'));
        c.at(addDays(FILED_AT, 30)).must('DEADLINE_PASSED', sweeper, { deadline: 'finalResponse' });
        expect(refusal(c.send('ISSUE_HOLDING_RESPONSE', officer, { reason: 'Late' }))).to.match(
          /already passed/,
        );
      });
    });

    it('a passed final-response deadline opens escalation and moves nothing else', () => {
      const c = inReview(factsFor('GB'));
      const r = c
        .at(addDays(FILED_AT, 30))
        .must('DEADLINE_PASSED', sweeper, { deadline: 'finalResponse' });
      expect(r.changedState).to.equal(false);
      expect(r.state).to.equal('platformReview.investigating');
      expect(r.context.finalResponseMissed).to.equal(true);
      expect(notifies(r.actions)).to.deep.equal([
        'assignee:deadlinePassed',
        'complainant:responseOverdue',
      ]);
      expect(c.deadline('finalResponse')?.status).to.equal('missed');
    });

    it('a stale DEADLINE_PASSED for a clock the state does not run is refused', () => {
      const c = inReview();
      expect(refusal(c.send('DEADLINE_PASSED', sweeper, { deadline: 'acknowledge' }))).to.equal(
        'the acknowledge deadline is not running in this state',
      );
    });
  });

  describe('the platform response', () => {
    it('ACCEPT_RESPONSE resolves the case', () => {
      const c = withResponse();
      const r = c.must('ACCEPT_RESPONSE', complainant);
      expect(r.state).to.equal('resolved');
      expect(notifies(r.actions)).to.deep.equal([
        'complainant:resolved',
        'assignee:responseAccepted',
      ]);
    });

    it('REJECT_RESPONSE records the rejection and tells the assignee', () => {
      const c = withResponse();
      const r = c.must('REJECT_RESPONSE', complainant, { reason: 'No refund' });
      expect(r.state).to.equal('responseIssued.rejected');
      expect(r.context.responseRejected).to.equal(true);
      expect(notifies(r.actions)).to.deep.equal(['assignee:responseRejected']);
    });

    it('the complainant may still accept after rejecting', () => {
      const c = withResponse();
      c.must('REJECT_RESPONSE', complainant);
      expect(c.must('ACCEPT_RESPONSE', complainant).state).to.equal('resolved');
    });

    it('CLOSE by an officer closes it with a reason', () => {
      const c = withResponse();
      expect(c.must('CLOSE', officer, { reason: 'No reply in 8 weeks' }).state).to.equal('closed');
    });
  });

  describe('ESCALATE', () => {
    it('is refused before the complainant rejected the response', () => {
      const c = withResponse();
      expect(refusal(c.send('ESCALATE', complainant))).to.match(/only after rejecting/);
    });

    it('is refused in platform review while the final-response clock runs', () => {
      const c = inReview();
      expect(refusal(c.send('ESCALATE', complainant))).to.match(
        /final-response deadline has passed/,
      );
    });

    it('goes to the body after a rejection, starting the acceptance clock', () => {
      const c = withResponse();
      c.must('REJECT_RESPONSE', complainant);
      const r = c.must('ESCALATE', complainant);
      expect(r.state).to.equal('escalated.preparingSubmission');
      expect(r.context.consumerBody).to.equal('12315');
      expect(r.actions).to.deep.include({
        type: 'startDeadline',
        params: { kind: 'bodyAcceptance' },
      });
      expect(notifies(r.actions)).to.deep.equal([
        'complainant:escalated',
        'assignee:complainantEscalated',
      ]);
    });

    it('goes to the body straight from platform review once the deadline passed', () => {
      const c = inReview(factsFor('GB'));
      c.at(addDays(FILED_AT, 30)).must('DEADLINE_PASSED', sweeper, { deadline: 'finalResponse' });
      expect(c.must('ESCALATE', complainant).context.consumerBody).to.equal('FOS');
    });

    it('is allowed from an issued response when the deadline had passed before it', () => {
      const c = inReview(factsFor('GB'));
      c.at(addDays(FILED_AT, 30)).must('DEADLINE_PASSED', sweeper, { deadline: 'finalResponse' });
      c.must('ISSUE_RESPONSE', officer, { outcome: 'upheld', message: 'Sorry, refunded.' });
      expect(c.must('ESCALATE', complainant).state).to.equal('escalated.preparingSubmission');
    });

    it('is refused with the missing parts of an incomplete dossier', () => {
      const c = withResponse(
        factsFor('CN', {
          respondent: { name: ' ', kind: 'platform' },
          transaction: { occurredAt: '', amount: { amountMinor: 0, currency: 'CNY' } },
          narrative: '',
          desiredOutcome: '',
          evidenceCount: 0,
        }),
      );
      c.must('REJECT_RESPONSE', complainant);
      expect(refusal(c.send('ESCALATE', complainant))).to.equal(
        "the escalation dossier is incomplete: missing respondent name, respondent's address or registration number (in China, its unified social credit code), transaction date, disputed amount, what happened, what the complainant asks for, at least one piece of evidence",
      );
    });

    it("is refused, in China, without the complainant's phone and address, naming both", () => {
      const c = withResponse(
        factsFor('CN', {
          complainant: { name: 'Li Hua', phone: null, postalAddress: null },
        }),
      );
      c.must('REJECT_RESPONSE', complainant);
      expect(refusal(c.send('ESCALATE', complainant))).to.equal(
        "the escalation dossier is incomplete: missing complainant's phone number, complainant's postal address",
      );
      c.facts = { ...c.facts, complainant: COMPLETE_COMPLAINANT };
      expect(c.must('ESCALATE', complainant).state).to.equal('escalated.preparingSubmission');
    });

    it('judges the dossier as it is now: evidence added after filing counts', () => {
      const c = withResponse(factsFor('CN', { evidenceCount: 0 }));
      c.must('REJECT_RESPONSE', complainant);
      expect(c.send('ESCALATE', complainant).ok).to.equal(false);
      c.facts = { ...c.facts, evidenceCount: 1 };
      expect(c.must('ESCALATE', complainant).state).to.equal('escalated.preparingSubmission');
    });

    it('is refused where no consumer body exists', () => {
      const c = withResponse(factsFor('BR'));
      c.must('REJECT_RESPONSE', complainant);
      expect(refusal(c.send('ESCALATE', complainant))).to.equal(
        'no consumer body handles complaints in jurisdiction BR',
      );
    });

    const bodies: Array<[string, 'platform' | 'merchant' | 'bank', string]> = [
      ['CN', 'platform', '12315'],
      ['US', 'platform', 'CFPB'],
      ['US', 'merchant', 'FTC'],
      ['GB', 'platform', 'FOS'],
      ['DE', 'bank', 'ADR-DE'],
    ];
    for (const [jurisdiction, kind, body] of bodies) {
      it(`sends a ${jurisdiction} complaint against a ${kind} to ${body}`, () => {
        const respondent = { name: 'Acme', kind, address: '1 Example Road' };
        const c = escalated(factsFor(jurisdiction, { respondent }));
        expect(c.context.consumerBody).to.equal(body);
      });
    }
  });

  describe('with the consumer body', () => {
    it('RECORD_SUBMISSION meets the acceptance clock and starts mediation', () => {
      const c = escalated();
      const r = c.must('RECORD_SUBMISSION', officer, { externalReference: '12315-2026-0042' });
      expect(r.state).to.equal('escalated.submitted');
      expect(r.context.bodyReference).to.equal('12315-2026-0042');
      expect(c.deadline('bodyAcceptance')?.status).to.equal('met');
      expect(c.deadline('bodyMediation')?.status).to.equal('running');
      expect(notifies(r.actions)).to.deep.equal(['complainant:submittedToBody']);
    });

    it('a missed acceptance clock is recorded and the state stays', () => {
      const c = escalated();
      const r = c.must('DEADLINE_PASSED', sweeper, { deadline: 'bodyAcceptance' });
      expect(r.state).to.equal('escalated.preparingSubmission');
      expect(c.deadline('bodyAcceptance')?.status).to.equal('missed');
    });

    it('a settlement by the body resolves the case', () => {
      const c = submitted();
      const r = c.must('RECORD_BODY_DECISION', officer, {
        decision: 'settled',
        note: 'Refund agreed',
      });
      expect(r.state).to.equal('resolved');
      expect(r.context.bodyDecision).to.equal('settled');
      expect(c.deadline('bodyMediation')?.status).to.equal('met');
    });

    for (const decision of ['upheld', 'rejected', 'unresolved'] as const) {
      it(`a body decision "${decision}" leaves the case decided`, () => {
        const c = submitted();
        const r = c.must('RECORD_BODY_DECISION', officer, { decision, note: 'Decision letter' });
        expect(r.state).to.equal('escalated.decided');
        expect(r.context.bodyDecision).to.equal(decision);
        expect(notifies(r.actions)).to.deep.equal(['complainant:bodyDecided']);
      });
    }

    it('mediation running out decides the case as unresolved', () => {
      const c = submitted();
      const r = c.must('DEADLINE_PASSED', sweeper, { deadline: 'bodyMediation' });
      expect(r.state).to.equal('escalated.decided');
      expect(r.context.bodyDecision).to.equal('unresolved');
      expect(c.deadline('bodyMediation')?.status).to.equal('missed');
    });

    it('CLOSE after the decision closes the case', () => {
      expect(decided().must('CLOSE', officer, { reason: 'Body rejected it' }).state).to.equal(
        'closed',
      );
    });
  });

  describe('REFER_TO_LEGAL', () => {
    const big = (jurisdiction = 'CN', currency = 'CNY', amountMinor = 500_000) =>
      factsFor(jurisdiction, {
        transaction: { occurredAt: '2026-02-20T10:00:00Z', amount: { amountMinor, currency } },
      });

    it('is accepted at the legal threshold', () => {
      const c = decided(big());
      const r = c.must('REFER_TO_LEGAL', officer);
      expect(r.state).to.equal('legalReferral');
      expect(notifies(r.actions)).to.deep.equal(['complainant:referredToLegal']);
    });

    it('is refused below the threshold without a reason', () => {
      const c = decided(big('CN', 'CNY', 499_999));
      expect(refusal(c.send('REFER_TO_LEGAL', officer))).to.equal(
        'the disputed amount (CNY 4999.99) is below the legal threshold for CN (CNY 5000.00); give a reason to refer it to legal anyway',
      );
    });

    it('is accepted below the threshold with a written reason', () => {
      const c = decided(big('CN', 'CNY', 129_900));
      expect(
        c.must('REFER_TO_LEGAL', officer, { reason: 'Large amount and negotiation failed' }).state,
      ).to.equal('legalReferral');
    });

    it('is refused for an amount in another currency without a reason', () => {
      const c = decided(big('GB', 'EUR', 9_000_000));
      expect(refusal(c.send('REFER_TO_LEGAL', officer))).to.match(
        /is in EUR but the legal threshold for GB is in GBP/,
      );
    });

    it('is not accepted before the body decided', () => {
      const r = submitted().send('REFER_TO_LEGAL', officer, { reason: 'x' });
      expect(r).to.deep.include({ ok: false, code: 'not_accepted' });
    });

    it('RECORD_LEGAL_OUTCOME closes the case with the outcome', () => {
      const c = decided(big());
      c.must('REFER_TO_LEGAL', officer);
      const r = c.must('RECORD_LEGAL_OUTCOME', officer, {
        outcome: 'judgment_for_complainant',
        note: 'Won',
      });
      expect(r.state).to.equal('closed');
      expect(r.context.legalOutcome).to.equal('judgment_for_complainant');
    });
  });

  describe('WITHDRAW', () => {
    const open: Array<[string, () => TestCase]> = [
      ['filed', () => new TestCase()],
      [
        'platformReview.awaitingComplainant',
        () => {
          const c = inReview();
          c.must('REQUEST_INFO', officer, { question: 'Which order?' });
          return c;
        },
      ],
      [
        'responseIssued.rejected',
        () => {
          const c = withResponse();
          c.must('REJECT_RESPONSE', complainant);
          return c;
        },
      ],
      ['escalated.submitted', () => submitted()],
      [
        'legalReferral',
        () => {
          const c = decided();
          c.must('REFER_TO_LEGAL', officer, { reason: 'Large amount and negotiation failed' });
          return c;
        },
      ],
    ];
    for (const [name, make] of open) {
      it(`withdraws from ${name} and cancels every open clock`, () => {
        const c = make();
        const r = c.must('WITHDRAW', complainant, { reason: 'Sorted it out with the merchant' });
        expect(r.state).to.equal('withdrawn');
        expect(r.actions).to.deep.include({
          type: 'settleDeadlines',
          params: {
            kinds: ['acknowledge', 'finalResponse', 'bodyAcceptance', 'bodyMediation'],
            status: 'cancelled',
          },
        });
        expect(notifies(r.actions)).to.deep.equal([
          'complainant:withdrawn',
          'assignee:complainantWithdrew',
        ]);
        expect(
          c.deadlines.filter((d) => d.status === 'running' || d.status === 'paused'),
        ).to.deep.equal([]);
      });
    }

    it('is not accepted once the case ended', () => {
      const c = withResponse();
      c.must('ACCEPT_RESPONSE', complainant);
      expect(c.send('WITHDRAW', complainant)).to.deep.include({ ok: false, code: 'not_accepted' });
    });
  });

  describe('REOPEN', () => {
    const resolvedAt = (facts = factsFor()) => {
      const c = withResponse(facts);
      c.must('ACCEPT_RESPONSE', complainant);
      return c;
    };

    it('reopens within the window into platform review with a fresh final-response clock', () => {
      const c = resolvedAt();
      const r = c.at(addDays(FILED_AT, 30)).must('REOPEN', officer, { reason: 'Refund bounced' });
      expect(r.state).to.equal('platformReview.investigating');
      expect(r.context).to.deep.include({
        reopenCount: 1,
        terminalAt: null,
        responseOutcome: null,
      });
      expect(r.actions).to.deep.include({
        type: 'startDeadline',
        params: { kind: 'finalResponse' },
      });
      expect(notifies(r.actions)).to.deep.equal(['complainant:reopened']);
      expect(c.deadline('finalResponse')).to.include({
        status: 'running',
        startedAt: addDays(FILED_AT, 30),
      });
    });

    it('is accepted on the last moment of the window', () => {
      const c = resolvedAt();
      expect(c.at(addDays(FILED_AT, 90)).send('REOPEN', officer, { reason: 'Late' }).ok).to.equal(
        true,
      );
    });

    it('is refused after the window', () => {
      const c = resolvedAt();
      const r = c.at(addDays(FILED_AT, 91)).send('REOPEN', officer, { reason: 'Too late' });
      expect(refusal(r)).to.equal('the 90-day reopen window closed at 2026-05-31T09:00:00.000Z');
    });

    it('needs a reason', () => {
      expect(refusal(resolvedAt().send('REOPEN', officer, { reason: '' }))).to.equal(
        'REOPEN needs a reason',
      );
    });

    it('reopens closed and withdrawn cases too, clearing earlier rejections', () => {
      const closed = withResponse();
      closed.must('REJECT_RESPONSE', complainant);
      closed.must('CLOSE', officer, { reason: 'No reply' });
      const r = closed.must('REOPEN', officer, { reason: 'Complainant replied' });
      expect(r.context.responseRejected).to.equal(false);

      const withdrawn = new TestCase();
      withdrawn.must('WITHDRAW', complainant);
      expect(withdrawn.must('REOPEN', officer, { reason: 'Withdrawn by mistake' }).state).to.equal(
        'platformReview.investigating',
      );
    });

    it('is not accepted on an open case', () => {
      expect(inReview().send('REOPEN', officer, { reason: 'x' })).to.deep.include({
        code: 'not_accepted',
      });
    });

    it('follows the window of the policy the machine was built with', () => {
      const machine = createComplaintMachine({ ...DEFAULT_POLICY, reopenWindowDays: 7 });
      const c = new TestCase(factsFor(), FILED_AT, machine);
      c.must('WITHDRAW', complainant);
      expect(c.at(addDays(FILED_AT, 8)).send('REOPEN', officer, { reason: 'x' })).to.deep.include({
        code: 'guard_refused',
      });
    });
  });

  it('refuses a wrong sender by itself, without the engine', () => {
    const snapshot = restore(complaintMachine, new TestCase().stored);
    const [next, actions] = transition(
      complaintMachine,
      snapshot,
      event('TRIAGE_ACCEPT', complainant, factsFor(), FILED_AT),
    );
    expect(next.value).to.equal('filed');
    expect(actions).to.deep.equal([]);
  });
});
