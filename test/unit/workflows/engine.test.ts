import { expect } from 'chai';
import {
  acceptedEventsFor,
  allowedEventsFor,
  complaintMachine,
  decide,
  initialCase,
  pathToStateValue,
  restore,
  stateToPath,
} from '../../../workflows/index.ts';
import type { EventType, StoredWorkflow } from '../../../workflows/index.ts';
import {
  admin,
  complainant,
  compliance,
  decided,
  event,
  factsFor,
  FILED_AT,
  inReview,
  officer,
  otherComplainant,
  sweeper,
  TestCase,
  withResponse,
} from './fixtures.ts';

const hasDottedOrDollarKey = (value: unknown): boolean =>
  !!value &&
  typeof value === 'object' &&
  Object.entries(value).some(
    ([k, v]) => k.includes('.') || k.startsWith('$') || hasDottedOrDollarKey(v),
  );

describe('workflow engine', () => {
  describe('initialCase', () => {
    it('returns the filed state as value and path, a plain context and the filing actions', () => {
      const filed = initialCase(complaintMachine, {
        actor: complainant,
        at: FILED_AT,
        facts: factsFor(),
      });
      expect(filed.value).to.equal('filed');
      expect(filed.state).to.equal('filed');
      expect(JSON.parse(JSON.stringify(filed.context))).to.deep.equal(filed.context);
      expect(filed.actions.map((a) => a.type)).to.deep.equal(['notify', 'startDeadline']);
    });
  });

  describe('decide', () => {
    it('answers not_accepted with the events the state takes', () => {
      const c = new TestCase();
      const r = c.send('ISSUE_RESPONSE', officer, { outcome: 'upheld', message: 'x' });
      expect(r).to.deep.equal({
        ok: false,
        code: 'not_accepted',
        allowedEvents: [
          'TRIAGE_ACCEPT',
          'TRIAGE_REJECT',
          'DEADLINE_PASSED',
          'ASSIGN',
          'WITHDRAW',
          'UPDATE_DETAILS',
        ],
      });
    });

    it('checks the state before the sender', () => {
      expect(new TestCase().send('ESCALATE', compliance)).to.deep.include({ code: 'not_accepted' });
    });

    it('checks the sender before the rules', () => {
      // ESCALATE is refused by rule here, but compliance may not send it at all.
      const r = withResponse().send('ESCALATE', compliance);
      expect(r).to.deep.equal({
        ok: false,
        code: 'forbidden',
        reason: 'the compliance role cannot send ESCALATE; it is sent by: complainant',
      });
    });

    it('lets only the owner send complainant events', () => {
      const r = withResponse().send('ACCEPT_RESPONSE', otherComplainant);
      expect(r).to.deep.include({ ok: false, code: 'forbidden' });
    });

    it('refuses every event from admin and compliance', () => {
      const c = inReview();
      for (const type of acceptedEventsFor(complaintMachine, c.stored)) {
        expect(c.send(type, admin)).to.deep.include({ code: 'forbidden' });
        expect(c.send(type, compliance)).to.deep.include({ code: 'forbidden' });
      }
    });

    it('refuses officer events from the system and DEADLINE_PASSED from officers', () => {
      const c = inReview();
      expect(
        c.send('ISSUE_RESPONSE', sweeper, { outcome: 'upheld', message: 'x' }),
      ).to.deep.include({
        code: 'forbidden',
      });
      expect(c.send('DEADLINE_PASSED', officer, { deadline: 'finalResponse' })).to.deep.include({
        code: 'forbidden',
      });
    });

    it('answers guard_refused with the rule’s reason', () => {
      expect(withResponse().send('ESCALATE', complainant)).to.deep.include({
        ok: false,
        code: 'guard_refused',
      });
    });

    it('returns plain, storable data and does not touch what it was given', () => {
      const c = withResponse();
      const stored: StoredWorkflow = JSON.parse(JSON.stringify(c.stored));
      const frozen = JSON.stringify(stored);
      const r = decide(
        complaintMachine,
        stored,
        event('REJECT_RESPONSE', complainant, c.facts, FILED_AT),
      );
      expect(JSON.stringify(stored)).to.equal(frozen);
      if (!r.ok) expect.fail('REJECT_RESPONSE refused');
      expect(JSON.parse(JSON.stringify(r.actions))).to.deep.equal(r.actions);
      expect(JSON.parse(JSON.stringify(r.value))).to.deep.equal(r.value);
      expect(hasDottedOrDollarKey(r.context)).to.equal(false);
    });

    it('hands out copies of actions, so a caller cannot corrupt the machine', () => {
      const first = inReview();
      const action = first.lastActions.find((a) => a.type === 'settleDeadlines');
      if (action?.type !== 'settleDeadlines') expect.fail('no settle action');
      action.params.kinds.push('bodyMediation');
      expect(inReview().lastActions).to.deep.include({
        type: 'settleDeadlines',
        params: { kinds: ['acknowledge'], status: 'met' },
      });
    });

    it('reports whether the state changed', () => {
      const c = inReview();
      expect(c.must('ASSIGN', officer, { officerId: 'o-2' }).changedState).to.equal(false);
      expect(c.must('REFER_TO_BANK', officer).changedState).to.equal(true);
    });
  });

  describe('allowedEventsFor', () => {
    const allowed = (c: TestCase, actor = officer): EventType[] =>
      allowedEventsFor(complaintMachine, c.stored, actor, c.facts);

    it('gives an officer their events in platform review', () => {
      expect(allowed(inReview())).to.have.members([
        'REQUEST_INFO',
        'REFER_TO_BANK',
        'ISSUE_RESPONSE',
        'ISSUE_HOLDING_RESPONSE',
        'ASSIGN',
        'UPDATE_DETAILS',
      ]);
    });

    it('gives the owner their events on an issued response, ignoring payload rules', () => {
      expect(allowed(withResponse(), complainant)).to.have.members([
        'REJECT_RESPONSE',
        'ACCEPT_RESPONSE',
        'ESCALATE',
        'WITHDRAW',
        'UPDATE_DETAILS',
      ]);
    });

    it('gives another complainant, compliance and admin nothing', () => {
      const c = withResponse();
      expect(allowed(c, otherComplainant)).to.deep.equal([]);
      expect(allowed(c, compliance)).to.deep.equal([]);
      expect(allowed(c, admin)).to.deep.equal([]);
    });

    it('gives the system only the deadline event of the state', () => {
      expect(allowed(decided(), sweeper)).to.deep.equal([]);
      expect(allowed(inReview(), sweeper)).to.deep.equal(['DEADLINE_PASSED']);
    });
  });

  describe('state paths', () => {
    it('turns nested state values into dotted paths and back', () => {
      expect(stateToPath('filed')).to.equal('filed');
      expect(stateToPath({ platformReview: 'investigating' })).to.equal(
        'platformReview.investigating',
      );
      expect(pathToStateValue('escalated.decided')).to.deep.equal({ escalated: 'decided' });
      expect(pathToStateValue('closed')).to.equal('closed');
    });

    it('restores a stored case that went through JSON', () => {
      const c = decided();
      const snapshot = restore(complaintMachine, JSON.parse(JSON.stringify(c.stored)));
      expect(stateToPath(snapshot.value)).to.equal('escalated.decided');
      expect(snapshot.context.bodyDecision).to.equal('rejected');
    });
  });
});
