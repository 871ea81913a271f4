import { expect } from 'chai';
import { pino } from 'pino';
import type { AttemptResult, AttemptStore } from '../../../server/notifications/attempt-store.ts';
import { createAttempts } from '../../../server/notifications/attempts.ts';
import { SkipNotification } from '../../../server/notifications/compose-types.ts';
import type { NotificationRecord } from '../../../server/notifications/model.ts';
import type { OutgoingMail } from '../../../server/notifications/transport.ts';

// One delivery attempt against a fake attempt store and transport: what it records, and when
// it parks. No database, no SMTP.
const now = new Date('2026-11-10T12:00:00.000Z');
const settings = { maxAttempts: 3, retryBaseMs: 1_000, retryMaxMs: 60_000, leaseMs: 30_000 };

function notification(fields: Partial<NotificationRecord> = {}): NotificationRecord {
  return {
    _id: 'n1',
    attempts: 0,
    attemptBase: 0,
    status: 'pending',
    messageId: '<m@x>',
    nextAttemptAt: now,
    ...fields,
  } as NotificationRecord;
}

function fakeStore(options: { heldUntil?: Date } = {}) {
  const claims = new Map<string, Date>();
  const settled: AttemptResult[] = [];
  const store: AttemptStore = {
    async insertClaim(claim) {
      // Another dispatcher's claim, its lease still running.
      if (options.heldUntil) return !claims.set(claim._id, options.heldUntil);
      claims.set(claim._id, claim.leaseUntil);
      return true;
    },
    leaseOf: async (id) => (claims.has(id) ? { leaseUntil: claims.get(id)! } : null),
    releaseClaim: async (id) => void claims.delete(id),
    markSending: async () => true,
    settle: async (_n, _attempt, set) => void settled.push(set),
  };
  return { store, settled };
}

function attempts(
  store: AttemptStore,
  send: () => Promise<{ response: string }>,
  composeError?: Error,
) {
  return createAttempts({
    store,
    compose: async () => {
      if (composeError) throw composeError;
      return {} as OutgoingMail;
    },
    transport: { send },
    clock: { now: () => now },
    logger: pino({ level: 'silent' }),
    settings,
    owner: 'test',
    claimKeepMs: 86_400_000,
    random: () => 0,
  });
}

describe('notifications: one delivery attempt', () => {
  it('records a send as sent and forgets an account email token', async () => {
    const { store, settled } = fakeStore();
    const attempt = attempts(store, async () => ({ response: '250 OK' }));
    expect(await attempt(notification({ secret: 'token' }))).to.deep.equal({ outcome: 'sent' });
    expect(settled[0]).to.include({ status: 'sent', smtpResponse: '250 OK', secret: null });
  });

  it('backs off after a failure before the last attempt, and parks on the last', async () => {
    const failing = async () => {
      throw Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
    };
    const early = fakeStore();
    expect((await attempts(early.store, failing)(notification())).outcome).to.equal('failed');
    expect(early.settled[0]).to.include({ status: 'pending' });
    expect(early.settled[0]!.nextAttemptAt!.getTime() - now.getTime()).to.equal(500);

    const last = fakeStore();
    const outcome = await attempts(last.store, failing)(notification({ attempts: 2 }));
    expect(outcome.outcome).to.equal('parked');
    expect(last.settled[0]).to.include({ status: 'parked' });
  });

  it('parks a round whose attempts were claimed and never completed, without sending', async () => {
    const { store, settled } = fakeStore();
    let sent = 0;
    const attempt = attempts(store, async () => (sent++, { response: '250' }));
    const outcome = await attempt(notification({ attempts: 5, attemptBase: 2 }));
    expect(outcome).to.deep.equal({ outcome: 'parked' });
    expect(sent).to.equal(0);
    expect(settled[0]!.lastError).to.match(/never completed/);
  });

  it('skips when there is nobody to send to, and leaves a claim held by a live lease alone', async () => {
    const skipped = fakeStore();
    const skip = attempts(
      skipped.store,
      async () => ({ response: '250' }),
      new SkipNotification('gone'),
    );
    expect(await skip(notification())).to.deep.equal({ outcome: 'skipped' });
    expect(skipped.settled[0]).to.include({ status: 'skipped', lastError: 'gone' });

    const held = fakeStore({ heldUntil: new Date(now.getTime() + 1_000) });
    const busy = attempts(held.store, async () => ({ response: '250' }));
    expect(await busy(notification())).to.deep.equal({ outcome: 'busy' });
    expect(held.settled).to.have.length(0);
  });
});
