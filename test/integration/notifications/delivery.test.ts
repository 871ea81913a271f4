import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { addEvidenceCount, fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const HOUR = 3_600_000;
const CHINESE = /[\u4e00-\u9fff]/;

interface Expected {
  to: TestUser;
  template: string;
}

describe('status-change emails', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  let seen = 0;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Redress <no-reply@redress.example>',
      PUBLIC_URL: 'https://redress.example/',
      // The dispatcher is stepped by hand, and journeys span months of the test clock.
      MAIL_DISPATCH_INTERVAL_MS: '3600000',
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
    seen = 0;
    t.clock.set('2026-11-02T09:00:00Z'); // a Monday
    complainant = await createUser(t, 'complainant', { locale: 'zh-CN', name: '张三' });
    officer = await createUser(t, 'officer', { locale: 'en', name: 'Olivia Officer' });
  });

  /** Runs the dispatcher once and returns the messages that arrived since the last call. */
  async function deliver(): Promise<ReceivedMail[]> {
    await t.server.services.notifications.runOnce();
    const fresh = smtp.messages.slice(seen);
    seen = smtp.messages.length;
    return fresh;
  }

  /** Asserts exactly the expected messages arrived: recipients and templates (from the Message-ID). */
  function expectMessages(
    received: ReceivedMail[],
    caseRef: { id: string; reference: string },
    expected: Expected[],
  ) {
    const describe = (to: string, template: string) => `${to} ${template}`;
    expect(
      received.map((m) => {
        const template = /^<rd\.[0-9a-f]{24}\.\d+\.(\w+)\.[0-9a-f]{24}@redress\.example>$/.exec(
          m.messageId,
        )?.[1];
        return describe(m.to.join(','), template ?? m.messageId);
      }),
    ).to.have.members(expected.map((e) => describe(e.to.email, e.template)));
    for (const message of received) {
      expect(message.messageId).to.contain(`rd.${caseRef.id}.`);
      expect(message.subject).to.contain(caseRef.reference);
      expect(message.html).to.contain(`href="https://redress.example/cases/${caseRef.id}"`);
      if (message.to.includes(complainant.email)) {
        expect(message.subject.startsWith(`【${caseRef.reference}】`), message.subject).to.equal(
          true,
        );
        expect(message.text).to.match(CHINESE).and.contain('后续安排');
      } else {
        expect(message.subject.startsWith(`[${caseRef.reference}] `), message.subject).to.equal(
          true,
        );
        expect(message.text).to.contain('What happens next').and.contain('Dear Olivia Officer');
      }
    }
  }

  it('sends each status change of a full journey to the right people, in their language', async () => {
    const filed = await fileCase(t, complainant, { amountMinor: 750_000 });
    // Nothing is sent inside the request: the dispatcher does it.
    expect(smtp.messages).to.have.length(0);
    let received = await deliver();
    expectMessages(received, filed, [{ to: complainant, template: 'filed' }]);
    expect(received[0]!.text).to.contain(filed.reference).and.contain('（北京时间）');

    const steps: [TestUser, Record<string, unknown>, Expected[]][] = [
      [officer, { type: 'ASSIGN', officerId: officer.id }, [{ to: officer, template: 'assigned' }]],
      [officer, { type: 'TRIAGE_ACCEPT' }, [{ to: complainant, template: 'acknowledged' }]],
      [
        officer,
        { type: 'REQUEST_INFO', question: '请提供银行流水' },
        [{ to: complainant, template: 'infoRequested' }],
      ],
      [
        complainant,
        { type: 'PROVIDE_INFO', answer: '已上传银行流水' },
        [{ to: officer, template: 'complainantReplied' }],
      ],
      [
        officer,
        { type: 'ISSUE_HOLDING_RESPONSE', reason: '需要向商户核实' },
        [{ to: complainant, template: 'holdingResponse' }],
      ],
      [
        officer,
        { type: 'ISSUE_RESPONSE', outcome: 'rejected', message: '经核实交易为本人操作' },
        [{ to: complainant, template: 'responseIssued' }],
      ],
      [
        complainant,
        { type: 'REJECT_RESPONSE', reason: '不是我操作的' },
        [{ to: officer, template: 'responseRejected' }],
      ],
      [
        complainant,
        { type: 'ESCALATE' },
        [
          { to: complainant, template: 'escalated' },
          { to: officer, template: 'complainantEscalated' },
        ],
      ],
      [
        officer,
        { type: 'RECORD_SUBMISSION', externalReference: '12315-2026-1' },
        [{ to: complainant, template: 'submittedToBody' }],
      ],
      [
        officer,
        { type: 'RECORD_BODY_DECISION', decision: 'unresolved', note: '双方未达成一致' },
        [{ to: complainant, template: 'bodyDecided' }],
      ],
      [officer, { type: 'REFER_TO_LEGAL' }, [{ to: complainant, template: 'referredToLegal' }]],
      [
        officer,
        { type: 'RECORD_LEGAL_OUTCOME', outcome: 'judgment_for_respondent', note: '法院驳回' },
        [{ to: complainant, template: 'closed' }],
      ],
      [
        officer,
        { type: 'REOPEN', reason: '发现新的证据' },
        [{ to: complainant, template: 'reopened' }],
      ],
      [
        complainant,
        { type: 'WITHDRAW', reason: '已与商户和解' },
        [
          { to: complainant, template: 'withdrawn' },
          { to: officer, template: 'complainantWithdrew' },
        ],
      ],
    ];
    await addEvidenceCount(t, filed.id);
    const texts: Record<string, string> = {};
    for (const [actor, event, expected] of steps) {
      t.clock.advance(HOUR);
      await send(t, actor, filed, event);
      received = await deliver();
      expectMessages(received, filed, expected);
      for (const message of received) texts[String(event.type)] = message.text;
    }

    // What happened and what comes next, in plain words with the case's own values.
    expect(texts.TRIAGE_ACCEPT).to.contain('最终答复').and.contain('（北京时间）');
    expect(texts.REQUEST_INFO).to.contain('请提供银行流水');
    // The outcome by its label in the shared table (workflows/labels.ts), as the dossier says it.
    expect(texts.ISSUE_RESPONSE).to.contain('投诉不成立').and.contain('经核实交易为本人操作');
    expect(texts.ESCALATE).to.contain('12315');
    expect(texts.RECORD_SUBMISSION).to.contain('12315-2026-1');

    // 17 notifications, all sent once, each recorded with its Message-ID and the SMTP reply.
    const stored = await t.server.database.connection
      .collection('notifications')
      .find({ caseId: { $exists: true } })
      .toArray();
    expect(stored).to.have.length(17);
    expect(smtp.messages).to.have.length(17);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).to.equal(17);
    for (const n of stored) {
      expect(n.status).to.equal('sent');
      expect(n.attempts).to.equal(1);
      expect(n.smtpResponse).to.match(/^250/);
      expect(n.sentAt).to.be.instanceOf(Date);
      expect(smtp.messages.filter((m) => m.messageId === n.messageId)).to.have.length(1);
    }
  });

  it('writes to an English complainant in English: accepted response, rejection at triage', async () => {
    const english = await createUser(t, 'complainant', { locale: 'en', name: 'Sam Smith' });
    const filed = await fileCase(t, english, {
      jurisdiction: 'GB',
      locale: 'en',
      currency: 'GBP',
      respondent: { name: 'QuickPay Ltd', kind: 'platform' },
    });
    let received = await deliver();
    expect(received).to.have.length(1);
    expect(received[0]!.subject).to.equal(`[${filed.reference}] We have received your complaint`);
    expect(received[0]!.text)
      .to.contain('Dear Sam Smith')
      .and.contain('QuickPay Ltd')
      .and.contain('UTC')
      .and.not.match(CHINESE);

    let c = await send(t, officer, filed, { type: 'ASSIGN', officerId: officer.id });
    c = await send(t, officer, c, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'upheld',
      remedy: 'full refund',
      message: 'We will refund you.',
    });
    await deliver();
    await send(t, english, c, { type: 'ACCEPT_RESPONSE' });
    received = await deliver();
    expect(received.map((m) => [m.to[0], m.subject])).to.have.deep.members([
      [english.email, `[${filed.reference}] Your complaint is resolved`],
      [officer.email, `[${filed.reference}] The complainant accepted the response`],
    ]);

    const duplicate = await fileCase(t, english, { jurisdiction: 'GB', locale: 'en' });
    await deliver();
    await send(t, officer, duplicate, {
      type: 'TRIAGE_REJECT',
      reason: 'duplicate of an open case',
    });
    received = await deliver();
    expect(received).to.have.length(1);
    expect(received[0]!.subject).to.contain('We cannot take your complaint forward');
    expect(received[0]!.text).to.contain('“duplicate of an open case”');
  });

  it('escapes values people typed in the HTML part, and keeps them as typed in the text part', async () => {
    const mallory = await createUser(t, 'complainant', {
      locale: 'en',
      name: 'Zoë <img src=x onerror=alert(1)>',
    });
    const filed = await fileCase(t, mallory, {
      jurisdiction: 'GB',
      locale: 'en',
      respondent: { name: 'Evil & "Sons" <b>Ltd</b>', kind: 'merchant' },
    });
    const c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    await send(t, officer, c, {
      type: 'REQUEST_INFO',
      question: 'Send <script>alert("x")</script> & the receipt',
    });
    const received = await deliver();
    expect(received).to.have.length(3);
    const html = received.map((m) => m.html).join('\n');
    expect(html).not.to.contain('<script>').and.not.contain('<img').and.not.contain('<b>Ltd');
    expect(html)
      .to.contain('Zoë &lt;img src=x onerror=alert(1)&gt;')
      .and.contain('Evil &amp; &quot;Sons&quot; &lt;b&gt;Ltd&lt;/b&gt;')
      .and.contain('Send &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the receipt');
    const question = received.find((m) => m.subject.includes('more information'))!;
    expect(question.text).to.contain('Send <script>alert("x")</script> & the receipt');
  });

  it('lets officers page through the notifications of a case', async () => {
    const first = await fileCase(t, complainant);
    t.clock.advance(60_000);
    const c = await send(t, officer, first, { type: 'ASSIGN', officerId: officer.id });
    t.clock.advance(60_000);
    await send(t, officer, c, { type: 'TRIAGE_ACCEPT' });
    const other = await fileCase(t, complainant);
    await deliver();

    const page1 = await t.http
      .get(`/api/v1/notifications?caseId=${first.id}&limit=2`)
      .set(officer.auth)
      .expect(200);
    expect(page1.body.items).to.have.length(2);
    expect(page1.body.nextCursor).to.be.a('string');
    const page2 = await t.http
      .get(`/api/v1/notifications?caseId=${first.id}&limit=2&cursor=${page1.body.nextCursor}`)
      .set(officer.auth)
      .expect(200);
    expect(page2.body.items).to.have.length(1);
    expect(page2.body.nextCursor).to.equal(null);
    const all = [...page1.body.items, ...page2.body.items];
    expect(all.map((n: { template: string }) => n.template)).to.deep.equal([
      'acknowledged',
      'assigned',
      'filed',
    ]);
    for (const n of all) {
      expect(n).to.include({ caseId: first.id, caseReference: first.reference, status: 'sent' });
    }
    const mine = await t.http.get(`/api/v1/notifications?caseId=${other.id}`).set(officer.auth);
    expect(mine.body.items).to.have.length(1);

    await t.http.get('/api/v1/notifications?cursor=nonsense').set(officer.auth).expect(400);
    await t.http.get('/api/v1/notifications?status=lost').set(officer.auth).expect(400);
    await t.http.get('/api/v1/notifications').set(complainant.auth).expect(403);
  });
});

describe('the .eml outbox (no SMTP_URL)', () => {
  let t: TestServer;

  before(async () => {
    t = await startTestServer({ MAIL_DISPATCH_INTERVAL_MS: '3600000' });
  });
  after(() => t.stop());

  it('writes each message as an .eml file into OUTBOX_DIR', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN', name: '李四' });
    const filed = await fileCase(t, complainant);
    const summary = await t.server.services.notifications.runOnce();
    expect(summary).to.include({ relayed: 1, sent: 1 });

    const outbox = t.server.config.outboxDir;
    expect(outbox).to.equal(join(t.tempDir, 'data', 'outbox'));
    const files = readdirSync(outbox);
    expect(files).to.have.length(1);
    expect(files[0]).to.match(/^20261102T090000000Z-[\w-]+\.eml$/);
    const parsed = await simpleParser(readFileSync(join(outbox, files[0]!)));
    expect(parsed.subject).to.equal(`【${filed.reference}】我们已收到您的投诉`);
    expect(parsed.text).to.contain('李四，您好');
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').to.contain(complainant.email);

    const stored = await t.server.database.connection.collection('notifications').findOne({});
    expect(stored).to.include({ status: 'sent', messageId: parsed.messageId });
    expect(stored!.smtpResponse).to.contain(files[0]);
  });
});
