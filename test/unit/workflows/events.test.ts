import { expect } from 'chai';
import {
  checkActor,
  EVENT_ROLES,
  EVENT_TYPES,
  EventPayload,
  toWorkflowEvent,
  WorkflowEvent,
} from '../../../workflows/index.ts';
import { complainant, factsFor, FILED_AT } from './fixtures.ts';

describe('workflow events', () => {
  describe('payloads from HTTP clients', () => {
    it('accepts each documented payload', () => {
      const valid = [
        { type: 'TRIAGE_ACCEPT' },
        { type: 'TRIAGE_REJECT', reason: 'Duplicate' },
        { type: 'ASSIGN', officerId: 'officer-2' },
        { type: 'REQUEST_INFO', question: 'Which order?' },
        { type: 'PROVIDE_INFO', answer: 'Order 17' },
        { type: 'REFER_TO_BANK' },
        { type: 'BANK_RESPONDED', note: 'Chargeback raised' },
        { type: 'ISSUE_HOLDING_RESPONSE', reason: 'Waiting on the scheme' },
        { type: 'ISSUE_RESPONSE', outcome: 'upheld', remedy: 'Full refund', message: 'Refunded.' },
        { type: 'ACCEPT_RESPONSE' },
        { type: 'REJECT_RESPONSE' },
        { type: 'ESCALATE' },
        { type: 'RECORD_SUBMISSION', externalReference: 'FOS-1' },
        { type: 'RECORD_BODY_DECISION', decision: 'unresolved', note: 'No agreement' },
        { type: 'REFER_TO_LEGAL', reason: 'Large amount and negotiation failed' },
        { type: 'RECORD_LEGAL_OUTCOME', outcome: 'settled', note: 'Settled out of court' },
        { type: 'CLOSE', reason: 'Done' },
        { type: 'WITHDRAW' },
        { type: 'REOPEN', reason: 'Refund bounced' },
        { type: 'DEADLINE_PASSED', deadline: 'finalResponse' },
        { type: 'UPDATE_DETAILS', respondent: { registrationNumber: '91350100M000100Y43' } },
      ];
      expect(valid.map((p) => p.type)).to.have.members(EVENT_TYPES);
      for (const payload of valid) {
        expect(EventPayload.safeParse(payload).success, payload.type).to.equal(true);
      }
    });

    it('rejects unknown fields, so a client cannot smuggle an actor in', () => {
      const r = EventPayload.safeParse({ type: 'ESCALATE', actor: { id: 'x', role: 'officer' } });
      expect(r.success).to.equal(false);
    });

    it('rejects blank and oversized text', () => {
      expect(EventPayload.safeParse({ type: 'REOPEN', reason: '   ' }).success).to.equal(false);
      expect(
        EventPayload.safeParse({ type: 'REOPEN', reason: 'x'.repeat(2_001) }).success,
      ).to.equal(false);
      expect(
        EventPayload.safeParse({ type: 'RECORD_SUBMISSION', externalReference: 'x'.repeat(201) })
          .success,
      ).to.equal(false);
    });

    it('rejects unknown event types and values outside the enums', () => {
      expect(EventPayload.safeParse({ type: 'DELETE' }).success).to.equal(false);
      expect(
        EventPayload.safeParse({ type: 'ISSUE_RESPONSE', outcome: 'maybe', message: 'x' }).success,
      ).to.equal(false);
      expect(
        EventPayload.safeParse({ type: 'DEADLINE_PASSED', deadline: 'lunch' }).success,
      ).to.equal(false);
    });

    it('trims text it accepts', () => {
      expect(EventPayload.parse({ type: 'CLOSE', reason: '  done  ' })).to.deep.equal({
        type: 'CLOSE',
        reason: 'done',
      });
    });
  });

  it('builds a full event from a payload and the server envelope', () => {
    const full = toWorkflowEvent(
      { type: 'ESCALATE' },
      { actor: complainant, at: FILED_AT, facts: factsFor() },
    );
    expect(WorkflowEvent.safeParse(full).success).to.equal(true);
    expect(WorkflowEvent.safeParse({ type: 'ESCALATE' }).success).to.equal(false);
  });

  describe('who sends what', () => {
    it('lets the complainant send only their five events, and complete details with officers', () => {
      const mine = EVENT_TYPES.filter((t) => EVENT_ROLES[t].includes('complainant'));
      expect(mine).to.have.members([
        'PROVIDE_INFO',
        'ACCEPT_RESPONSE',
        'REJECT_RESPONSE',
        'ESCALATE',
        'WITHDRAW',
        'UPDATE_DETAILS',
      ]);
      expect(EVENT_ROLES.UPDATE_DETAILS).to.have.members(['complainant', 'officer']);
    });

    it('takes UPDATE_DETAILS with an address, a number or both, never with neither', () => {
      const details = (respondent: unknown) =>
        EventPayload.safeParse({ type: 'UPDATE_DETAILS', respondent }).success;
      expect(details({ address: '1 Example Road' })).to.equal(true);
      expect(details({ address: 'x', registrationNumber: 'HRB 12345' })).to.equal(true);
      expect(details({})).to.equal(false);
      expect(details({ address: 'x'.repeat(501) })).to.equal(false);
    });

    it('lets the system send only DEADLINE_PASSED, and compliance and admin nothing', () => {
      expect(EVENT_TYPES.filter((t) => EVENT_ROLES[t].includes('system'))).to.deep.equal([
        'DEADLINE_PASSED',
      ]);
      for (const type of EVENT_TYPES) {
        expect(EVENT_ROLES[type]).to.not.include('compliance').and.not.include('admin');
      }
    });

    it('gives every other event to officers', () => {
      const officers = EVENT_TYPES.filter((t) => EVENT_ROLES[t].includes('officer'));
      expect(officers).to.have.length(EVENT_TYPES.length - 6);
    });

    it('explains a refusal by role and by ownership', () => {
      const facts = { ownerId: 'user-1' };
      expect(checkActor({ type: 'CLOSE', actor: { id: 'a', role: 'admin' }, facts })).to.equal(
        'the admin role cannot send CLOSE; it is sent by: officer',
      );
      expect(
        checkActor({ type: 'ESCALATE', actor: { id: 'user-2', role: 'complainant' }, facts }),
      ).to.equal('only the complainant who filed the case can send ESCALATE');
      expect(
        checkActor({ type: 'ESCALATE', actor: { id: 'user-1', role: 'complainant' }, facts }),
      ).to.equal(null);
    });
  });
});
