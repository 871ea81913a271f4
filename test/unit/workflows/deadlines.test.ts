import { expect } from 'chai';
import {
  addDuration,
  applyDeadlineActions,
  calendarFor,
  DEFAULT_POLICY,
  dueDeadlines,
  extendDeadline,
  pauseDeadlines,
  resumeDeadlines,
  settleDeadlines,
  startDeadline,
} from '../../../workflows/index.ts';
import type { Deadline } from '../../../workflows/index.ts';

const P = DEFAULT_POLICY;
const cn = { jurisdiction: 'CN', category: 'refund_not_received' as const };
const us = { jurisdiction: 'US', category: 'refund_not_received' as const };
const gb = { jurisdiction: 'GB', category: 'refund_not_received' as const };
const br = { jurisdiction: 'BR', category: 'refund_not_received' as const };
const MONDAY = '2026-03-02T09:00:00.000Z';

describe('deadlines', () => {
  describe('starting a clock', () => {
    it('gives an urgent Chinese complaint 24 hours to be acknowledged', () => {
      const d = startDeadline(
        'acknowledge',
        MONDAY,
        { ...cn, category: 'unauthorized_transaction' },
        P,
      );
      expect(d).to.deep.equal({
        kind: 'acknowledge',
        startedAt: MONDAY,
        dueAt: '2026-03-03T09:00:00.000Z',
        status: 'running',
      });
    });

    it('gives other complaints the jurisdiction clock (GB: 3 business days from Friday)', () => {
      const d = startDeadline('acknowledge', '2026-03-06T09:00:00.000Z', gb, P);
      expect(d.dueAt).to.equal('2026-03-11T09:00:00.000Z');
    });

    it('uses one calendar day where no jurisdiction row applies', () => {
      expect(startDeadline('acknowledge', MONDAY, br, P).dueAt).to.equal(
        '2026-03-03T09:00:00.000Z',
      );
    });

    it('will not start a body clock where there is no body', () => {
      expect(() => startDeadline('bodyAcceptance', MONDAY, br, P)).to.throw(
        /no bodyAcceptance deadline/,
      );
    });
  });

  describe('pausing and resuming', () => {
    const running = (): Deadline[] => [startDeadline('finalResponse', MONDAY, us, P)];

    it('stops the clock with the time left and no due time, so the sweeper skips it', () => {
      const [paused] = pauseDeadlines(running(), '2026-03-05T09:00:00.000Z', us, P);
      expect(paused).to.include({ status: 'paused', dueAt: null });
      expect(paused?.remaining).to.deep.equal({ amount: 12, unit: 'calendarDays' });
      expect(dueDeadlines([paused!], '2030-01-01T00:00:00Z')).to.deep.equal([]);
    });

    it('resumes with the time that was left', () => {
      const paused = pauseDeadlines(running(), '2026-03-05T09:00:00.000Z', us, P);
      const [resumed] = resumeDeadlines(paused, '2026-03-10T09:00:00.000Z', us, P);
      expect(resumed).to.deep.equal({
        kind: 'finalResponse',
        startedAt: MONDAY,
        dueAt: '2026-03-22T09:00:00.000Z',
        status: 'running',
      });
    });

    it('loses no business time to a pause that spans only a weekend', () => {
      const [d] = [startDeadline('finalResponse', MONDAY, gb, P)];
      const paused = pauseDeadlines([d!], '2026-03-07T10:00:00.000Z', gb, P);
      const [resumed] = resumeDeadlines(paused, '2026-03-08T20:00:00.000Z', gb, P);
      expect(resumed?.dueAt).to.equal(d?.dueAt);
    });

    it('pushes a working-day clock back by the working time the pause took', () => {
      const d = startDeadline('finalResponse', '2026-02-02T01:00:00.000Z', cn, P);
      // Paused for one full working day (Tuesday 10 Feb 09:00 to Wednesday 09:00, Beijing).
      const paused = pauseDeadlines([d], '2026-02-10T01:00:00.000Z', cn, P);
      const [resumed] = resumeDeadlines(paused, '2026-02-11T01:00:00.000Z', cn, P);
      expect(resumed?.dueAt).to.equal(
        addDuration(d.dueAt!, { amount: 1, unit: 'workingDays' }, calendarFor(P, 'CN')),
      );
    });

    it('leaves settled clocks alone', () => {
      const met = settleDeadlines(running(), ['finalResponse'], 'met', MONDAY);
      expect(pauseDeadlines(met, MONDAY, us, P)).to.deep.equal(met);
      expect(resumeDeadlines(met, MONDAY, us, P)).to.deep.equal(met);
    });
  });

  describe('a holding response', () => {
    it('moves a PSD2/FCA clock from 15 to 35 business days from the original start', () => {
      const d = startDeadline('finalResponse', MONDAY, gb, P);
      const [extended] = extendDeadline([d], 'finalResponse', '2026-03-10T09:00:00.000Z', gb, P);
      expect(extended).to.include({ extended: true, status: 'running' });
      expect(extended?.dueAt).to.equal(
        addDuration(MONDAY, { amount: 35, unit: 'businessDays' }, calendarFor(P, 'GB')),
      );
    });

    it('moves the CFPB clock from 15 to 60 calendar days', () => {
      const d = startDeadline('finalResponse', MONDAY, us, P);
      const [extended] = extendDeadline([d], 'finalResponse', MONDAY, us, P);
      expect(extended?.dueAt).to.equal('2026-05-01T09:00:00.000Z');
    });

    it('keeps the time an earlier pause added', () => {
      const d = startDeadline('finalResponse', MONDAY, us, P);
      const paused = pauseDeadlines([d], '2026-03-03T09:00:00.000Z', us, P);
      const resumed = resumeDeadlines(paused, '2026-03-06T09:00:00.000Z', us, P);
      const [extended] = extendDeadline(
        resumed,
        'finalResponse',
        '2026-03-07T09:00:00.000Z',
        us,
        P,
      );
      expect(extended?.dueAt).to.equal('2026-05-04T09:00:00.000Z');
    });

    it('gives a paused clock more time left, in the extended unit', () => {
      const d = startDeadline('finalResponse', '2026-03-02T01:00:00.000Z', cn, P);
      const paused = pauseDeadlines([d], '2026-03-04T01:00:00.000Z', cn, P);
      const [extended] = extendDeadline(paused, 'finalResponse', '2026-03-05T01:00:00.000Z', cn, P);
      expect(extended).to.include({ status: 'paused', dueAt: null, extended: true });
      expect(extended?.remaining?.unit).to.equal('calendarDays');
      // 60 calendar days from 2 March, minus the 2 days that ran before the pause.
      expect(extended?.remaining?.amount).to.equal(58);
    });

    it('extends only once, and not where no extended period exists', () => {
      const d = startDeadline('finalResponse', MONDAY, us, P);
      const once = extendDeadline([d], 'finalResponse', MONDAY, us, P);
      expect(extendDeadline(once, 'finalResponse', MONDAY, us, P)).to.deep.equal(once);
      const b = startDeadline('finalResponse', MONDAY, br, P);
      expect(extendDeadline([b], 'finalResponse', MONDAY, br, P)).to.deep.equal([b]);
    });
  });

  describe('settling', () => {
    it('settles only the open clocks of the given kinds, and says when', () => {
      const a = startDeadline('acknowledge', MONDAY, us, P);
      const f = startDeadline('finalResponse', MONDAY, us, P);
      const [ack, final] = settleDeadlines(
        [a, f],
        ['acknowledge'],
        'met',
        '2026-03-02T12:00:00.000Z',
      );
      expect(ack).to.include({ status: 'met', settledAt: '2026-03-02T12:00:00.000Z' });
      expect(final).to.deep.equal(f);
    });

    it('cancels a paused clock without keeping its time left', () => {
      const paused = pauseDeadlines([startDeadline('finalResponse', MONDAY, us, P)], MONDAY, us, P);
      const [cancelled] = settleDeadlines(paused, ['finalResponse'], 'cancelled', MONDAY);
      expect(cancelled).to.include({ status: 'cancelled' });
      expect(cancelled).to.not.have.property('remaining');
    });

    it('never reopens a settled clock', () => {
      const missed = settleDeadlines(
        [startDeadline('acknowledge', MONDAY, us, P)],
        ['acknowledge'],
        'missed',
        MONDAY,
      );
      expect(settleDeadlines(missed, ['acknowledge'], 'met', MONDAY)).to.deep.equal(missed);
    });
  });

  it('finds the running clocks that have run out', () => {
    const a = startDeadline('acknowledge', MONDAY, us, P);
    const f = startDeadline('finalResponse', MONDAY, us, P);
    expect(dueDeadlines([a, f], '2026-03-03T08:59:59.000Z')).to.deep.equal([]);
    expect(dueDeadlines([a, f], a.dueAt!)).to.deep.equal([a]);
  });

  it('applies a transition’s deadline actions in order and ignores notifications', () => {
    const start = [startDeadline('acknowledge', MONDAY, us, P)];
    const next = applyDeadlineActions(
      start,
      [
        { type: 'settleDeadlines', params: { kinds: ['acknowledge'], status: 'met' } },
        { type: 'startDeadline', params: { kind: 'finalResponse' } },
        { type: 'notify', params: { template: 'acknowledged', to: 'complainant' } },
      ],
      '2026-03-02T10:00:00.000Z',
      us,
      P,
    );
    expect(next.map((d) => [d.kind, d.status])).to.deep.equal([
      ['acknowledge', 'met'],
      ['finalResponse', 'running'],
    ]);
  });

  it('lets a new clock of a kind supersede an open one', () => {
    const first = [startDeadline('finalResponse', MONDAY, us, P)];
    const next = applyDeadlineActions(
      first,
      [{ type: 'startDeadline', params: { kind: 'finalResponse' } }],
      '2026-03-05T09:00:00.000Z',
      us,
      P,
    );
    expect(next.map((d) => d.status)).to.deep.equal(['cancelled', 'running']);
  });
});
