import { expect } from 'chai';
import { afterFailure, roundAbandoned } from '../../../server/notifications/retry-schedule.ts';

// The retry schedule alone: no database, no SMTP, a fixed "random".
const settings = { maxAttempts: 4, retryBaseMs: 1_000, retryMaxMs: 5_000 };

describe('notifications: retry schedule', () => {
  it('doubles the step each round and waits between half of it and all of it', () => {
    const least = [1, 2, 3].map((round) => afterFailure(round, settings, () => 0));
    const most = [1, 2, 3].map((round) => afterFailure(round, settings, () => 1));
    expect(least).to.deep.equal([
      { park: false, delayMs: 500 },
      { park: false, delayMs: 1_000 },
      { park: false, delayMs: 2_000 },
    ]);
    expect(most).to.deep.equal([
      { park: false, delayMs: 1_000 },
      { park: false, delayMs: 2_000 },
      { park: false, delayMs: 4_000 },
    ]);
  });

  it('never waits longer than the largest step', () => {
    const wide = { ...settings, maxAttempts: 20 };
    expect(afterFailure(12, wide, () => 1)).to.deep.equal({ park: false, delayMs: 5_000 });
    expect(afterFailure(12, wide, () => 0)).to.deep.equal({ park: false, delayMs: 2_500 });
  });

  it("parks on the round's last attempt and after it, not before", () => {
    expect(afterFailure(3, settings, () => 0.5).park).to.equal(false);
    expect(afterFailure(4, settings, () => 0.5)).to.deep.equal({ park: true });
    expect(afterFailure(5, settings, () => 0.5)).to.deep.equal({ park: true });
  });

  it('calls a round abandoned only once its attempts are all claimed', () => {
    expect(roundAbandoned(4, settings)).to.equal(false);
    expect(roundAbandoned(5, settings)).to.equal(true);
  });
});
