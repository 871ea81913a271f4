import { expect } from 'chai';
import {
  DEFAULT_POLICY,
  settleDeadlines,
  startDeadline,
  type Deadline,
} from '../../../workflows/index.ts';
import { timelinessOf, type TimelinessInput } from '../../../workflows/timeliness.ts';
import { bodyClockDuration, bodyClocksFor } from '../../../workflows/body-clocks.ts';

const P = DEFAULT_POLICY;
const MONDAY = '2026-03-02T09:00:00.000Z';
const at = (iso: string, days: number) =>
  new Date(Date.parse(iso) + days * 86_400_000).toISOString();

function input(jurisdiction: string, overrides: Partial<TimelinessInput> = {}): TimelinessInput {
  return {
    jurisdiction,
    category: 'refund_not_received',
    state: 'platformReview.investigating',
    consumerBody: null,
    deadlines: [],
    timeline: [],
    ...overrides,
  };
}

const facts = (jurisdiction: string) => ({
  jurisdiction,
  category: 'refund_not_received' as const,
});

/** Acknowledged on day 0, answered on `answeredDay` (met or missed by the jurisdiction's clock). */
function answered(jurisdiction: string, answeredDay: number): Deadline[] {
  const ack = startDeadline('acknowledge', MONDAY, facts(jurisdiction), P);
  let deadlines = settleDeadlines([ack], ['acknowledge'], 'met', at(MONDAY, 0.1));
  deadlines.push(startDeadline('finalResponse', at(MONDAY, 0.1), facts(jurisdiction), P));
  const final = deadlines[1]!;
  const answerAt = at(MONDAY, answeredDay);
  deadlines = settleDeadlines(
    deadlines,
    ['finalResponse'],
    answerAt <= final.dueAt! ? 'met' : 'missed',
    answerAt,
  );
  return deadlines;
}

describe('timeliness', () => {
  describe("the platform's verdict (the CFPB's timely response)", () => {
    it('is open (null) while the acknowledge clock runs', () => {
      const result = timelinessOf(
        input('CN', {
          state: 'filed',
          deadlines: [startDeadline('acknowledge', MONDAY, facts('CN'), P)],
        }),
        P,
        at(MONDAY, 0.5),
      );
      expect(result.timely).to.equal(null);
      expect(result.acknowledged).to.deep.include({
        status: 'running',
        dueAt: '2026-03-03T09:00:00.000Z',
      });
      expect(result.answered).to.equal(null);
    });

    it('is true once acknowledged and answered within both deadlines', () => {
      const result = timelinessOf(
        input('US', { state: 'responseIssued.awaitingReply', deadlines: answered('US', 10) }),
        P,
        at(MONDAY, 11),
      );
      expect(result.timely).to.equal(true);
      expect(result.answered?.status).to.equal('met');
    });

    it('is false once a deadline was missed, whatever came after', () => {
      const ack = startDeadline('acknowledge', MONDAY, facts('GB'), P);
      const deadlines = settleDeadlines([ack], ['acknowledge'], 'missed', at(MONDAY, 4));
      const result = timelinessOf(input('GB', { deadlines }), P, at(MONDAY, 5));
      expect(result.timely).to.equal(false);
      expect(
        timelinessOf(input('US', { deadlines: answered('US', 20) }), P, at(MONDAY, 21)).timely,
      ).to.equal(false);
    });

    it('counts an answer settled after its due time as late, though the machine recorded it met', () => {
      const ack = startDeadline('acknowledge', MONDAY, facts('CN'), P);
      const late = settleDeadlines([ack], ['acknowledge'], 'met', at(MONDAY, 3));
      const result = timelinessOf(input('CN', { deadlines: late }), P, at(MONDAY, 3));
      expect(result.timely).to.equal(false);
      expect(result.acknowledged?.status).to.equal('missed');
    });

    it('counts a rejection at triage as a timely answer, and a withdrawal as no answer due', () => {
      const ack = settleDeadlines(
        [startDeadline('acknowledge', MONDAY, facts('CN'), P)],
        ['acknowledge'],
        'met',
        at(MONDAY, 0.2),
      );
      expect(
        timelinessOf(input('CN', { state: 'closed', deadlines: ack }), P, at(MONDAY, 1)).timely,
      ).to.equal(true);
      const review = [...ack, startDeadline('finalResponse', at(MONDAY, 0.2), facts('CN'), P)];
      const withdrawn = settleDeadlines(review, ['finalResponse'], 'cancelled', at(MONDAY, 2));
      expect(
        timelinessOf(input('CN', { state: 'withdrawn', deadlines: withdrawn }), P, at(MONDAY, 3))
          .timely,
      ).to.equal(null);
    });
  });

  describe("the consumer body's clocks", () => {
    it('are the bodies’ own rules: the tracked ones read their length from the policy', () => {
      const lengths = (code: string, jurisdiction: string) =>
        bodyClocksFor(code).map((clock) => [
          clock.key,
          bodyClockDuration(clock, facts(jurisdiction), P),
        ]);
      expect(lengths('12315', 'CN')).to.deep.equal([
        ['acceptance', { amount: 7, unit: 'workingDays' }],
        ['mediation', { amount: 45, unit: 'workingDays' }],
      ]);
      expect(lengths('CFPB', 'US')).to.deep.equal([
        ['companyResponse', { amount: 15, unit: 'calendarDays' }],
        ['companyFinalResponse', { amount: 60, unit: 'calendarDays' }],
      ]);
      expect(lengths('FOS', 'GB')).to.deep.equal([
        ['referralWindow', { amount: 6, unit: 'months' }],
      ]);
      expect(lengths('ADR-FR', 'FR')).to.deep.equal([
        ['refusalNotice', { amount: 21, unit: 'calendarDays' }],
        ['outcome', { amount: 90, unit: 'calendarDays' }],
      ]);
      expect(bodyClocksFor('FTC')).to.deep.equal([]);
      expect(bodyClocksFor(null)).to.deep.equal([]);
    });

    it('12315: 7 working days to accept, then at most 45 working days of mediation', () => {
      // Escalated on Monday 2 March 2026 at 17:00 in Beijing.
      const escalatedAt = MONDAY;
      const deadlines = [
        ...answered('CN', 5),
        startDeadline('bodyAcceptance', escalatedAt, facts('CN'), P),
      ];
      const result = timelinessOf(
        input('CN', {
          state: 'escalated.preparingSubmission',
          consumerBody: '12315',
          deadlines,
          timeline: [{ type: 'ESCALATE', at: escalatedAt }],
        }),
        P,
        at(MONDAY, 1),
      );
      const [acceptance, mediation] = result.bodyClocks;
      expect(acceptance).to.deep.include({
        key: 'acceptance',
        status: 'running',
        startsAt: escalatedAt,
        dueAt: '2026-03-11T09:00:00.000Z',
        projected: false,
        duration: { amount: 7, unit: 'workingDays' },
      });
      expect(acceptance!.source).to.contain('第十四条');
      // Not started: projected from the last day the body may accept, 45 working days later
      // (the 5 April 清明 holiday and its Monday do not count).
      expect(mediation).to.deep.include({
        key: 'mediation',
        status: 'pending',
        startsAt: '2026-03-11T09:00:00.000Z',
        projected: true,
        duration: { amount: 45, unit: 'workingDays' },
      });
      expect(mediation!.dueAt).to.equal('2026-05-18T09:00:00.000Z');
    });

    it('12315: once the body accepted, acceptance is met and mediation runs', () => {
      const acceptedAt = at(MONDAY, 3);
      let deadlines = [startDeadline('bodyAcceptance', MONDAY, facts('CN'), P)];
      deadlines = settleDeadlines(deadlines, ['bodyAcceptance'], 'met', acceptedAt);
      deadlines.push(startDeadline('bodyMediation', acceptedAt, facts('CN'), P));
      const result = timelinessOf(
        input('CN', {
          state: 'escalated.submitted',
          consumerBody: '12315',
          deadlines,
          timeline: [
            { type: 'ESCALATE', at: MONDAY },
            { type: 'RECORD_SUBMISSION', at: acceptedAt },
          ],
        }),
        P,
        at(MONDAY, 4),
      );
      expect(result.bodyClocks.map((c) => [c.key, c.status, c.projected])).to.deep.equal([
        ['acceptance', 'met', false],
        ['mediation', 'running', false],
      ]);
    });

    it('FOS: six months from the final response to refer, to the same day or the month end', () => {
      const responded = '2026-08-31T10:00:00.000Z';
      const open = input('GB', {
        state: 'responseIssued.awaitingReply',
        consumerBody: 'FOS',
        timeline: [{ type: 'ISSUE_RESPONSE', at: responded }],
      });
      const running = timelinessOf(open, P, '2026-09-01T00:00:00.000Z').bodyClocks[0];
      expect(running).to.deep.include({
        key: 'referralWindow',
        status: 'running',
        dueAt: '2027-02-28T10:00:00.000Z',
      });
      expect(timelinessOf(open, P, '2027-03-01T00:00:00.000Z').bodyClocks[0]?.status).to.equal(
        'missed',
      );
      const referred = timelinessOf(
        {
          ...open,
          state: 'escalated.preparingSubmission',
          timeline: [
            ...(open.timeline ?? []),
            { type: 'ESCALATE', at: '2026-10-01T08:00:00.000Z' },
          ],
        },
        P,
        '2027-03-01T00:00:00.000Z',
      ).bodyClocks[0];
      expect(referred).to.deep.include({ status: 'met', stoppedAt: '2026-10-01T08:00:00.000Z' });
    });

    it('FOS: the window has not started before the final response', () => {
      const [clock] = timelinessOf(input('GB', { consumerBody: 'FOS' }), P, MONDAY).bodyClocks;
      expect(clock).to.deep.include({ status: 'pending', dueAt: null, projected: false });
    });

    it('CFPB: 15 days for the response, 60 for the final one, both from escalation', () => {
      const deadlines = [startDeadline('bodyAcceptance', MONDAY, facts('US'), P)];
      const result = timelinessOf(
        input('US', {
          state: 'escalated.preparingSubmission',
          consumerBody: 'CFPB',
          deadlines,
          timeline: [{ type: 'ESCALATE', at: MONDAY }],
        }),
        P,
        at(MONDAY, 61),
      );
      expect(result.bodyClocks.map((c) => [c.key, c.dueAt])).to.deep.equal([
        ['companyResponse', at(MONDAY, 15)],
        ['companyFinalResponse', at(MONDAY, 60)],
      ]);
      // The machine's 15-day clock is the sweeper's to settle; the 60 days are read here.
      expect(result.bodyClocks[1]?.status).to.equal('missed');
    });

    it('FTC: no clocks; an ADR body: three weeks to refuse, 90 days to an outcome', () => {
      expect(
        timelinessOf(input('US', { consumerBody: 'FTC' }), P, MONDAY).bodyClocks,
      ).to.deep.equal([]);
      const adr = timelinessOf(input('DE', { consumerBody: 'ADR-DE', state: 'filed' }), P, MONDAY);
      expect(adr.bodyClocks.map((c) => [c.key, c.status, c.dueAt])).to.deep.equal([
        ['refusalNotice', 'pending', at(MONDAY, 21)],
        ['outcome', 'pending', at(MONDAY, 111)],
      ]);
    });

    it('a case that ended without going to the body has no running body clocks', () => {
      const result = timelinessOf(
        input('CN', { state: 'withdrawn', consumerBody: '12315' }),
        P,
        MONDAY,
      );
      expect(result.bodyClocks.map((c) => c.status)).to.deep.equal(['cancelled', 'cancelled']);
    });

    it('reads the same standing from the clocks alone when the timeline is left out (lists)', () => {
      const acceptedAt = at(MONDAY, 3);
      let deadlines = [
        ...answered('CN', 5),
        startDeadline('bodyAcceptance', MONDAY, facts('CN'), P),
      ];
      deadlines = settleDeadlines(deadlines, ['bodyAcceptance'], 'met', acceptedAt);
      deadlines.push(startDeadline('bodyMediation', acceptedAt, facts('CN'), P));
      const common = { state: 'escalated.submitted', consumerBody: '12315', deadlines };
      const withTimeline = timelinessOf(
        input('CN', {
          ...common,
          timeline: [
            { type: 'ESCALATE', at: MONDAY },
            { type: 'RECORD_SUBMISSION', at: acceptedAt },
          ],
        }),
        P,
        at(MONDAY, 4),
      );
      const { timeline: _none, ...withoutTimeline } = input('CN', common);
      expect(timelinessOf(withoutTimeline, P, at(MONDAY, 4))).to.deep.equal(withTimeline);
    });

    it('a reopened case starts its body clocks afresh', () => {
      let deadlines = [startDeadline('bodyAcceptance', MONDAY, facts('CN'), P)];
      deadlines = settleDeadlines(deadlines, ['bodyAcceptance'], 'cancelled', at(MONDAY, 2));
      const result = timelinessOf(
        input('CN', {
          consumerBody: '12315',
          deadlines,
          timeline: [
            { type: 'ESCALATE', at: MONDAY },
            { type: 'WITHDRAW', at: at(MONDAY, 2) },
            { type: 'REOPEN', at: at(MONDAY, 3) },
          ],
        }),
        P,
        at(MONDAY, 4),
      );
      expect(result.bodyClocks[0]).to.deep.include({
        status: 'pending',
        projected: true,
        startsAt: at(MONDAY, 4),
      });
    });
  });
});
