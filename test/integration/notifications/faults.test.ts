import { expect } from 'chai';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const MINUTE = 60_000;
const LEASE_MS = 180_000;

describe('email delivery when things go wrong', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_DISPATCH_INTERVAL_MS: '3600000',
      MAIL_MAX_ATTEMPTS: '3',
      MAIL_RETRY_BASE_MS: String(MINUTE),
      MAIL_RETRY_MAX_MS: String(10 * MINUTE),
      MAIL_LEASE_MS: String(LEASE_MS),
      SMTP_TIMEOUT_MS: '1000',
    });
  });
  after(async () => {
    await t.stop();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    await smtp.up();
    smtp.clear();
    t.clock.set('2026-11-02T09:00:00Z');
    complainant = await createUser(t, 'complainant', { locale: 'en' });
    officer = await createUser(t, 'officer');
  });

  const runOnce = () => t.server.services.notifications.runOnce();
  const notifications = () => t.server.database.connection.collection('notifications');

  it('keeps transitions working while the SMTP server is down, then delivers every message once', async () => {
    await smtp.down();
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      const filed = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
      const c = await send(t, officer, filed, { type: 'ASSIGN', officerId: officer.id });
      await send(t, officer, c, { type: 'TRIAGE_ACCEPT' });
    }
    expect(Date.now() - started, 'the API does not wait for mail').to.be.below(5_000);

    // While it is down, each run spends one attempt and leaves the rest of the queue alone.
    const first = await runOnce();
    expect(first).to.include({ relayed: 9, sent: 0, failed: 1 });
    t.clock.advance(5 * MINUTE);
    expect(await runOnce()).to.include({ sent: 0, failed: 1 });
    const waiting = await notifications().find({}).toArray();
    expect(waiting).to.have.length(9);
    expect(waiting.every((n) => n.status === 'pending')).to.equal(true);
    const failedOnce = waiting.filter((n) => n.attempts > 0);
    expect(failedOnce.length).to.be.within(1, 2);
    for (const n of failedOnce) expect(n.lastError).to.match(/ECONNECTION|ECONNREFUSED|ESOCKET/);

    await smtp.up();
    t.clock.advance(30 * MINUTE); // past every backoff
    expect(await runOnce()).to.include({ sent: 9, failed: 0 });
    expect(smtp.messages).to.have.length(9);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).to.equal(9);

    // Nothing is left to send, however often the dispatcher runs.
    t.clock.advance(60 * MINUTE);
    expect(await runOnce()).to.include({ sent: 0, failed: 0 });
    expect(smtp.messages).to.have.length(9);
    const sent = await notifications().find({ status: 'sent' }).toArray();
    expect(sent).to.have.length(9);
  });

  it('counts a server that answers too slowly, or is busy (421), as a failed attempt and retries', async () => {
    smtp.delayGreeting(2_500);
    const filed = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
    const started = Date.now();
    expect(await runOnce()).to.include({ sent: 0, failed: 1 });
    expect(Date.now() - started, 'gave up at SMTP_TIMEOUT_MS').to.be.below(2_400);
    let stored = await notifications().findOne({});
    expect(stored).to.include({ status: 'pending', attempts: 1 });
    expect(stored!.lastError).to.match(/ETIMEDOUT|timeout/i);

    smtp.delayGreeting(0);
    smtp.refuseConnections(421);
    t.clock.advance(5 * MINUTE);
    expect(await runOnce()).to.include({ sent: 0, failed: 1 });
    stored = await notifications().findOne({});
    expect(stored).to.include({ status: 'pending', attempts: 2 });
    expect(stored!.lastError).to.match(/421/);

    smtp.refuseConnections(null);
    t.clock.advance(5 * MINUTE);
    expect(await runOnce()).to.include({ sent: 1 });
    expect(smtp.messages.map((m) => m.subject)).to.deep.equal([
      `[${filed.reference}] We have received your complaint`,
    ]);
  });

  it('parks a message the server rejects permanently, lists it for officers and delivers it once requeued', async () => {
    smtp.rejectRecipient(complainant.email, 550);
    const filed = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
    expect(await runOnce()).to.include({ failed: 1, parked: 0 });
    t.clock.advance(20 * MINUTE);
    expect(await runOnce()).to.include({ failed: 1, parked: 0 });
    t.clock.advance(20 * MINUTE);
    expect(await runOnce()).to.include({ failed: 0, parked: 1 });
    t.clock.advance(20 * MINUTE);
    expect(await runOnce()).to.include({ failed: 0, parked: 0, sent: 0 });
    expect(smtp.messages).to.have.length(0);

    const parked = await t.http
      .get('/api/v1/notifications?status=parked')
      .set(officer.auth)
      .expect(200);
    expect(parked.body.items).to.have.length(1);
    const item = parked.body.items[0];
    expect(item).to.include({
      caseId: filed.id,
      caseReference: filed.reference,
      template: 'filed',
      recipientId: complainant.id,
      status: 'parked',
      attempts: 3,
      attemptsLeft: 0,
    });
    expect(item.lastError).to.match(/550/);

    await t.http.get('/api/v1/notifications?status=parked').set(complainant.auth).expect(403);
    await t.http.post(`/api/v1/notifications/${item.id}/retry`).set(complainant.auth).expect(403);
    await t.http.post('/api/v1/notifications/no-such-id/retry').set(officer.auth).expect(404);

    const requeued = await t.http
      .post(`/api/v1/notifications/${item.id}/retry`)
      .set(officer.auth)
      .expect(200);
    // Attempts keep counting; the requeue grants a fresh round of MAIL_MAX_ATTEMPTS.
    expect(requeued.body).to.include({
      status: 'pending',
      attempts: 3,
      attemptsLeft: 3,
      requeues: 1,
    });
    const again = await t.http.post(`/api/v1/notifications/${item.id}/retry`).set(officer.auth);
    expect(again.status).to.equal(409);
    expect(again.body.notificationStatus).to.equal('pending');

    smtp.acceptRecipient(complainant.email);
    expect(await runOnce()).to.include({ sent: 1 });
    const received = smtp.to(complainant.email);
    expect(received).to.have.length(1);
    expect(received[0]!.messageId).to.equal(item.messageId);
    const stored = await notifications().findOne({ _id: item.id } as never);
    expect(stored).to.include({ status: 'sent', attempts: 4, lastError: null });

    const afterwards = await t.http
      .get('/api/v1/notifications?status=parked')
      .set(officer.auth)
      .expect(200);
    expect(afterwards.body.items).to.have.length(0);
    const sentAgain = await t.http.post(`/api/v1/notifications/${item.id}/retry`).set(officer.auth);
    expect(sentAgain.status).to.equal(409);
  });

  it('skips, with the reason, a message to a disabled account', async () => {
    await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
    await t.server.services.users.update(complainant.id, { disabled: true });
    expect(await runOnce()).to.include({ skipped: 1, sent: 0 });
    const stored = await notifications().findOne({});
    expect(stored).to.include({ status: 'skipped', attempts: 1 });
    expect(stored!.lastError).to.match(/disabled/);
    expect(smtp.messages).to.have.length(0);
  });

  it('takes over, after the lease, a message whose dispatcher died mid-send, with the same Message-ID', async () => {
    const first = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
    const second = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
    expect(await t.server.services.notifications.relay()).to.equal(2);
    const [a, b] = await Promise.all(
      [first, second].map((c) =>
        notifications().findOne({ caseId: { $exists: true }, messageId: { $regex: c.id } }),
      ),
    );
    const now = t.clock.now();
    const claims = t.server.database.connection.collection('notification_claims');
    // A dispatcher claimed a's first attempt and died before it could mark it as sending,
    // and another claimed b's, marked it and died (perhaps after the server took the message).
    for (const n of [a!, b!]) {
      await claims.insertOne({
        _id: `${n._id}:1`,
        notificationId: n._id,
        attempt: 1,
        owner: 'dead',
        leaseUntil: new Date(now.getTime() + LEASE_MS),
        createdAt: now,
      } as never);
    }
    await notifications().updateOne({ _id: b!._id } as never, {
      $set: { status: 'sending', attempts: 1, nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
    });

    expect(await runOnce()).to.include({ sent: 0 });
    t.clock.advance(LEASE_MS - 1_000);
    expect(await runOnce()).to.include({ sent: 0 });
    t.clock.advance(2_000);
    expect(await runOnce()).to.include({ sent: 2 });

    expect(smtp.messages.map((m) => m.messageId)).to.have.members([a!.messageId, b!.messageId]);
    for (const n of [a!, b!]) {
      const stored = await notifications().findOne({ _id: n._id } as never);
      // The dead dispatcher's attempt counts; the takeover is attempt 2.
      expect(stored).to.include({ status: 'sent', attempts: 2 });
    }
  });
});
