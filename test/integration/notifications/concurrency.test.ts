import { expect } from 'chai';
import supertest from 'supertest';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser } from '../../helpers/users.ts';
import { start, type RunningServer } from '../../../server/main.ts';

describe('several dispatchers on one database', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let second: RunningServer;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({ SMTP_URL: smtp.url, MAIL_DISPATCH_INTERVAL_MS: '3600000' });
    // A second server process in all but name: its own connection, models and dispatcher,
    // on the same database and the same test clock.
    second = await start({ config: t.server.config, clock: t.clock });
  });
  after(async () => {
    await second.stop();
    await t.stop();
    await smtp.stop();
  });

  it('sends each message once when two servers dispatch at the same time', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN' });
    const officer = await createUser(t, 'officer');
    const secondHttp = { ...t, http: supertest(second.url) };
    const dispatchers = [
      () => t.server.services.notifications.runOnce(),
      () => second.services.notifications.runOnce(),
      () => t.server.loops.notificationDispatcher!.runOnce(),
      () => second.loops.notificationDispatcher!.runOnce(),
    ];

    let expected = 0;
    for (let round = 0; round < 3; round++) {
      // Work arrives through both servers; each case causes filed, assigned and acknowledged.
      for (let i = 0; i < 4; i++) {
        const via = i % 2 ? secondHttp : t;
        const filed = await fileCase(via, complainant);
        const c = await send(via, officer, filed, { type: 'ASSIGN', officerId: officer.id });
        await send(t, officer, c, { type: 'TRIAGE_ACCEPT' });
        expected += 3;
      }
      // Every dispatcher relays the same journal entries and races for the same notifications;
      // one pass delivers everything, and another finds nothing left to send.
      await Promise.all(dispatchers.map((run) => run()));
      expect(smtp.messages, `round ${round}`).to.have.length(expected);
      await Promise.all(dispatchers.map((run) => run()));
      expect(smtp.messages, `round ${round}, again`).to.have.length(expected);
    }

    const ids = smtp.messages.map((m) => m.messageId);
    expect(new Set(ids).size).to.equal(expected);
    const stored = await t.server.database.connection
      .collection('notifications')
      .find({})
      .toArray();
    expect(stored).to.have.length(expected);
    expect(stored.every((n) => n.status === 'sent' && n.attempts === 1)).to.equal(true);
    // One claim per attempt: nobody made a second attempt at anything.
    const claims = await t.server.database.connection
      .collection('notification_claims')
      .countDocuments();
    expect(claims).to.equal(expected);
  });
});
