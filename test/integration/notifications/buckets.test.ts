import { expect } from 'chai';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// The dispatcher reads due work by hour bucket (FerretDB pushes only equality down): these
// make sure that nothing due is forgotten in an hour it has already looked at.
describe('background passes find everything due, hour bucket by hour bucket', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_RETRY_BASE_MS: String(MINUTE),
      MAIL_RETRY_MAX_MS: String(10 * MINUTE),
      SMTP_TIMEOUT_MS: '1000',
      DEADLINE_WARNING_HOURS: '24',
      TOKEN_TTL_HOURS: '8760',
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
    t.clock.set('2026-11-02T07:00:00Z'); // a Monday
    complainant = await createUser(t, 'complainant', { locale: 'en' });
    officer = await createUser(t, 'officer');
  });

  const runOnce = () => t.server.services.notifications.runOnce();
  const collection = (name: string) => t.server.database.connection.collection(name);

  it('sends a backlog left in an hour two hours back, after the rescan that found it', async () => {
    await smtp.down();
    for (let i = 0; i < 3; i++) await fileCase(t, complainant, { jurisdiction: 'GB' });
    // Each run spends one attempt while the server is down; the rest stays filed under 07:00.
    expect(await runOnce()).to.include({ relayed: 3, failed: 1 });
    t.clock.set('2026-11-02T09:00:00Z');
    expect(await runOnce()).to.include({ failed: 1 });

    await smtp.up();
    t.clock.set('2026-11-02T09:20:00Z');
    expect(await runOnce()).to.include({ sent: 3, failed: 0 });
    expect(smtp.messages).to.have.length(3);
    expect(await collection('notifications').countDocuments({ status: 'sent' })).to.equal(3);
  });

  it('sends a retry that fell due hours ago, and prunes claims by the hour they expire', async () => {
    await smtp.down();
    t.clock.set('2026-11-02T09:00:00Z');
    await fileCase(t, complainant, { jurisdiction: 'GB' });
    expect(await runOnce()).to.include({ failed: 1 });
    await smtp.up();
    t.clock.set('2026-11-02T12:30:00Z');
    expect(await runOnce()).to.include({ sent: 1 });
    expect(await collection('notification_claims').countDocuments()).to.equal(2);

    // Kept for 24 hours: the first attempt's claim is due at 09:00 the next day, the second's
    // at 12:30.
    t.clock.set('2026-11-03T10:00:00Z');
    await runOnce();
    const left = await collection('notification_claims').find({}).toArray();
    expect(left.map((claim) => claim.attempt)).to.deep.equal([2]);
  });

  it('warns about a deadline due later in the current hour and one due at the horizon edge', async () => {
    async function assignedCaseInReview() {
      const filed = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
      await send(t, officer, filed, { type: 'ASSIGN', officerId: officer.id });
      const c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
      const { dueAt } = (c.deadlines as { kind: string; dueAt: string }[]).find(
        (d) => d.kind === 'finalResponse',
      )!;
      return Date.parse(dueAt);
    }
    t.clock.set('2026-11-02T09:17:00Z');
    const soon = await assignedCaseInReview();
    t.clock.set('2026-11-03T09:07:00Z');
    const edge = await assignedCaseInReview();
    await runOnce();
    smtp.clear();

    t.clock.set(new Date(edge - 24 * HOUR));
    const now = t.clock.now().getTime();
    // Preconditions: the first is due in the hour being read first, the second exactly at
    // the end of the lead time, in the last hour read.
    expect(soon, 'first deadline').to.be.above(now);
    expect(Math.floor(soon / HOUR), 'first deadline hour').to.equal(Math.floor(now / HOUR));
    expect(edge - now).to.equal(24 * HOUR);

    expect(await t.server.services.notifications.sweepDeadlineWarnings()).to.equal(2);
    expect(await t.server.services.notifications.sweepDeadlineWarnings()).to.equal(0);
    expect(await runOnce()).to.include({ sent: 2 });
    expect(smtp.messages.map((m) => m.to[0])).to.deep.equal([officer.email, officer.email]);
  });
});
