import { expect } from 'chai';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const HOUR = 3_600_000;

describe('deadline emails to the assigned officer', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_DISPATCH_INTERVAL_MS: '3600000',
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
    smtp.clear();
    t.clock.set('2026-11-02T09:00:00Z'); // a Monday
    complainant = await createUser(t, 'complainant', { locale: 'en' });
    officer = await createUser(t, 'officer', { locale: 'zh-CN', name: '王警官' });
  });

  const runOnce = () => t.server.services.notifications.runOnce();

  /** A GB case in platform review; returns it and its final-response due time. */
  async function caseInReview(assign: boolean) {
    const filed = await fileCase(t, complainant, { jurisdiction: 'GB', locale: 'en' });
    if (assign) await send(t, officer, filed, { type: 'ASSIGN', officerId: officer.id });
    const c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    const due = (c.deadlines as { kind: string; dueAt: string }[]).find(
      (d) => d.kind === 'finalResponse',
    )!.dueAt;
    return { c, due: Date.parse(due) };
  }

  it('warns the assignee once, within the lead time, then reports the missed deadline', async () => {
    const { c, due } = await caseInReview(true);
    await runOnce();
    smtp.clear();

    t.clock.set(new Date(due - 25 * HOUR));
    expect(await runOnce()).to.include({ warned: 0, sent: 0 });
    t.clock.set(new Date(due - 23 * HOUR));
    expect(await runOnce()).to.include({ warned: 1, sent: 1 });
    t.clock.advance(HOUR);
    expect(await runOnce()).to.include({ warned: 0, sent: 0 });

    expect(smtp.messages).to.have.length(1);
    const [warning] = smtp.messages;
    expect(warning!.to).to.deep.equal([officer.email]);
    expect(warning!.subject).to.equal(`【${c.reference}】期限临近：最终答复`);
    expect(warning!.text).to.contain('王警官，您好').and.contain('2026年11月23日');

    t.clock.set(new Date(due + 1_000));
    expect((await t.server.services.cases.sweepDeadlines()).fired).to.equal(1);
    await runOnce();
    const missed = smtp.messages.slice(1);
    expect(missed.map((m) => [m.to[0], m.subject])).to.have.deep.members([
      [officer.email, `【${c.reference}】期限已过：最终答复`],
      [complainant.email, `[${c.reference}] Our final response is overdue`],
    ]);
    const toComplainant = missed.find((m) => m.to[0] === complainant.email)!;
    expect(toComplainant.text).to.contain('Financial Ombudsman Service');
  });

  it('warns nobody about an unassigned case, and skips a warning whose deadline stopped', async () => {
    const { due } = await caseInReview(false);
    const assigned = await caseInReview(true);
    await runOnce();
    smtp.clear();

    t.clock.set(new Date(due - 2 * HOUR));
    // Queue the warning, then let the officer answer before the dispatcher sends it.
    expect(await t.server.services.notifications.sweepDeadlineWarnings()).to.equal(1);
    await send(t, officer, assigned.c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'upheld',
      message: 'Refund on its way.',
    });
    const summary = await runOnce();
    expect(summary).to.include({ warned: 0, skipped: 1, sent: 1 });
    expect(smtp.messages.map((m) => m.subject)).to.deep.equal([
      `[${assigned.c.reference}] Our final response to your complaint`,
    ]);
    const warning = await t.server.database.connection
      .collection('notifications')
      .findOne({ template: 'deadlineWarning' });
    expect(warning).to.include({
      status: 'skipped',
      lastError: 'the deadline is no longer running',
    });
  });
});
