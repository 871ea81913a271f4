import { expect } from 'chai';
import {
  addDuration,
  calendarFor,
  DEFAULT_POLICY,
  isWorkingDay,
  PLAIN_CALENDAR,
  remainingDuration,
} from '../../../workflows/index.ts';

const CN = calendarFor(DEFAULT_POLICY, 'CN');
const GB = calendarFor(DEFAULT_POLICY, 'GB');

describe('calendar arithmetic', () => {
  describe('hours and calendar days', () => {
    it('counts hours straight through weekends', () => {
      expect(addDuration('2026-03-06T12:00:00Z', { amount: 24, unit: 'hours' })).to.equal(
        '2026-03-07T12:00:00.000Z',
      );
    });

    it('ends a calendar-day clock at the same time of day', () => {
      expect(addDuration('2026-03-02T09:30:00Z', { amount: 15, unit: 'calendarDays' })).to.equal(
        '2026-03-17T09:30:00.000Z',
      );
    });

    it('ignores holidays for calendar days', () => {
      expect(addDuration('2026-02-14T02:00:00Z', { amount: 2, unit: 'calendarDays' }, CN)).to.equal(
        '2026-02-16T02:00:00.000Z',
      );
    });
  });

  describe('business days', () => {
    it('skips the weekend: one business day from Friday is Monday, same time', () => {
      expect(addDuration('2026-03-06T10:00:00Z', { amount: 1, unit: 'businessDays' })).to.equal(
        '2026-03-09T10:00:00.000Z',
      );
    });

    it('gives a case filed on Saturday until the end of Monday for one business day', () => {
      expect(addDuration('2026-03-07T10:00:00Z', { amount: 1, unit: 'businessDays' })).to.equal(
        '2026-03-10T00:00:00.000Z',
      );
    });

    it('makes 15 business days three weeks when there is no holiday', () => {
      expect(
        addDuration('2026-03-02T09:00:00Z', { amount: 15, unit: 'businessDays' }, GB),
      ).to.equal('2026-03-23T09:00:00.000Z');
    });

    it('skips bank holidays (Good Friday and Easter Monday 2026)', () => {
      expect(addDuration('2026-04-01T09:00:00Z', { amount: 3, unit: 'businessDays' }, GB)).to.equal(
        '2026-04-08T09:00:00.000Z',
      );
    });

    it('does not count make-up weekend days', () => {
      // Friday 13 Feb 2026, 10:00 in Beijing; Saturday 14 Feb is a make-up day, then the holiday.
      expect(addDuration('2026-02-13T02:00:00Z', { amount: 1, unit: 'businessDays' }, CN)).to.equal(
        '2026-02-24T02:00:00.000Z',
      );
    });
  });

  describe('working days (China)', () => {
    it('counts a make-up Saturday as a working day', () => {
      expect(addDuration('2026-02-13T02:00:00Z', { amount: 1, unit: 'workingDays' }, CN)).to.equal(
        '2026-02-14T02:00:00.000Z',
      );
    });

    it('skips the whole Spring Festival holiday', () => {
      expect(addDuration('2026-02-13T02:00:00Z', { amount: 2, unit: 'workingDays' }, CN)).to.equal(
        '2026-02-24T02:00:00.000Z',
      );
    });

    it('decides the day in Beijing time, not UTC', () => {
      // 20:00 UTC Friday is already 04:00 on the make-up Saturday in Beijing.
      expect(addDuration('2026-02-13T20:00:00Z', { amount: 1, unit: 'workingDays' }, CN)).to.equal(
        '2026-02-23T20:00:00.000Z',
      );
    });

    it('gives the 45 working days of 12315 mediation across the National Day week', () => {
      // From Monday 14 Sep 2026: Sunday 20 Sep and Saturday 10 Oct are worked, 1-7 Oct are not.
      expect(addDuration('2026-09-14T01:00:00Z', { amount: 45, unit: 'workingDays' }, CN)).to.equal(
        '2026-11-20T01:00:00.000Z',
      );
    });

    it('tells working days from days off', () => {
      expect(isWorkingDay('2026-02-14', 'workingDays', CN)).to.equal(true);
      expect(isWorkingDay('2026-02-14', 'businessDays', CN)).to.equal(false);
      expect(isWorkingDay('2026-02-16', 'workingDays', CN)).to.equal(false);
      expect(isWorkingDay('2026-02-24', 'workingDays', CN)).to.equal(true);
      expect(isWorkingDay('2026-02-15', 'calendarDays', CN)).to.equal(true);
    });
  });

  describe('time left on a clock', () => {
    it('is fractional hours and calendar days', () => {
      expect(
        remainingDuration('2026-03-02T00:00:00Z', '2026-03-02T18:00:00Z', 'hours'),
      ).to.deep.equal({
        amount: 18,
        unit: 'hours',
      });
      expect(
        remainingDuration('2026-03-02T00:00:00Z', '2026-03-04T12:00:00Z', 'calendarDays'),
      ).to.deep.equal({ amount: 2.5, unit: 'calendarDays' });
    });

    it('counts only the hours on business days', () => {
      // Wednesday 16:00 to next Monday 10:00: 8 h + Thursday + Friday + 10 h.
      const left = remainingDuration(
        '2026-03-04T16:00:00Z',
        '2026-03-09T10:00:00Z',
        'businessDays',
      );
      expect(left).to.deep.equal({ amount: 2.75, unit: 'businessDays' });
    });

    it('is nothing once the clock has run out', () => {
      expect(
        remainingDuration('2026-03-10T00:00:00Z', '2026-03-09T00:00:00Z', 'businessDays').amount,
      ).to.equal(0);
    });

    it('spends a fraction as working time, skipping days off', () => {
      expect(addDuration('2026-03-07T10:00:00Z', { amount: 0.5, unit: 'businessDays' })).to.equal(
        '2026-03-09T12:00:00.000Z',
      );
    });

    it('round-trips: resuming at once with the time left keeps the due time', () => {
      const due = addDuration('2026-02-10T02:00:00Z', { amount: 15, unit: 'workingDays' }, CN);
      // A working day, a make-up Saturday, a holiday and a Sunday night.
      for (const now of [
        '2026-02-12T07:30:00Z',
        '2026-02-14T13:00:00Z',
        '2026-02-17T05:00:00Z',
        '2026-03-01T14:00:00Z',
      ]) {
        const left = remainingDuration(now, due, 'workingDays', CN);
        expect(addDuration(now, left, CN), now).to.equal(due);
      }
    });
  });

  it('refuses what is not a date-time or a duration', () => {
    expect(() => addDuration('yesterday', { amount: 1, unit: 'hours' })).to.throw(RangeError);
    expect(() =>
      addDuration('2026-03-02T00:00:00Z', { amount: -1, unit: 'hours' }, PLAIN_CALENDAR),
    ).to.throw(RangeError);
  });
});
