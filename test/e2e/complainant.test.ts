import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { fileCase, send } from '../helpers/cases.ts';
import {
  expectAccessible,
  launchBrowser,
  PHONE,
  type TestBrowser,
  type TestPage,
} from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

// A 1×1 PNG and the smallest PDF the server's sniffer recognises.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const EXE = Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1');

function daysAgo(days: number): string {
  const date = new Date(Date.now() - days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

async function signIn(page: Page, user: TestUser, zh: boolean): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(zh ? '电子邮箱' : 'Email').fill(user.email);
  await page.getByLabel(zh ? '密码' : 'Password').fill(user.password);
  await page.getByRole('button', { name: zh ? '登录' : 'Sign in', exact: true }).click();
  await page.waitForURL('**/cases');
}

const heading = (page: Page, name: string | RegExp) =>
  page.getByRole('heading', { level: 1, name }).waitFor();

describe('web app: the complainant (Chromium)', function () {
  this.timeout(90_000);
  let t: TestServer;
  let smtp: TestSmtpServer;
  let browser: TestBrowser;
  let open: TestPage | undefined;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({ SMTP_URL: smtp.url, MAIL_DISPATCH_INTERVAL_MS: '3600000' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    await smtp?.stop();
  });
  beforeEach(() => {
    // Deadlines and "in the future" are judged by the server's clock: make it the browser's.
    t.clock.set(new Date());
  });
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  it('files a complaint in zh-CN on a phone, with evidence, Back, a reload and a change', async () => {
    const user = await createUser(t, 'complainant', { locale: 'zh-CN', name: '王芳' });
    open = await browser.open({ baseUrl: t.server.url, viewport: PHONE, locale: 'zh-CN' });
    const { page, errors } = open;
    await signIn(page, user, true);
    await heading(page, '我的投诉');
    await page.getByText('您还没有投诉').waitFor();
    await expectAccessible(page, 'my cases, empty (zh-CN)');

    await page.getByRole('button', { name: '提交投诉' }).click();
    await heading(page, '遇到了什么问题？');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('alert').filter({ hasText: '出现问题' }).waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).to.include('出现问题');
    await expectAccessible(page, 'category with an error (zh-CN)');
    await page.getByLabel('问题类型').selectOption('refund_not_received');
    await page.getByRole('button', { name: '下一步' }).click();

    await heading(page, '请先试试这些方法');
    await page.getByText('3–10 个工作日').waitFor();
    await expectAccessible(page, 'first checks (zh-CN)');
    await page.getByRole('button', { name: '我仍需投诉' }).click();

    await heading(page, '您要投诉哪家公司？');
    await page.getByLabel('公司名称').fill('某某支付');
    await page.getByLabel('公司类型').selectOption('platform');
    await page.getByLabel('国家或地区').selectOption('CN');
    await page.getByText(/15 个工作日内没有解决，您可以向全国12315平台/).waitFor();
    await expectAccessible(page, 'company (zh-CN)');
    await page.getByRole('button', { name: '下一步' }).click();

    await heading(page, '是哪一笔交易？');
    expect(await page.getByLabel('币种').inputValue()).to.equal('CNY');
    await page.getByLabel('交易日期').fill(daysAgo(3));
    await page.getByLabel('金额').fill('12.345');
    await page.getByLabel('交易单号').fill('TX-2026-0042');
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('link', { name: /请用数字填写金额/ }).click();
    expect(await page.evaluate('document.activeElement?.id')).to.equal('amount');
    await expectAccessible(page, 'transaction with an error (zh-CN)');
    await page.getByLabel('金额').fill('1299.50');

    // The page's Back, then the browser's: nothing typed is lost either way.
    await page.getByRole('button', { name: '返回' }).click();
    await heading(page, '您要投诉哪家公司？');
    expect(await page.getByLabel('公司名称').inputValue()).to.equal('某某支付');
    await page.goBack();
    await heading(page, '是哪一笔交易？');
    expect(await page.getByLabel('金额').inputValue()).to.equal('1299.50');
    await expectAccessible(page, 'transaction (zh-CN)');
    await page.getByRole('button', { name: '下一步' }).click();

    await heading(page, '请告诉我们发生了什么');
    await page.getByLabel('发生了什么').fill('商家同意退款已经两周，钱一直没有退回。');
    await page.getByLabel('您的诉求').fill('退还 1299.50 元');
    await page.reload();
    await heading(page, '请告诉我们发生了什么');
    expect(await page.getByLabel('发生了什么').inputValue()).to.include('两周');
    expect(await page.getByLabel('您的诉求').inputValue()).to.equal('退还 1299.50 元');
    await expectAccessible(page, 'story (zh-CN)');
    await page.getByRole('button', { name: '下一步' }).click();

    await heading(page, '您有证据吗？');
    const input = page.getByLabel('证据文件');
    await input.setInputFiles([
      { name: '订单截图.png', mimeType: 'image/png', buffer: PNG },
      { name: 'statement.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await input.setInputFiles([
      { name: 'virus.exe', mimeType: 'application/x-msdownload', buffer: EXE },
    ]);
    await page.getByRole('alert').filter({ hasText: '无法添加“virus.exe”' }).waitFor();
    expect(await page.getByLabel('证据类型').count()).to.equal(2);
    await page.getByLabel('证据类型').nth(1).selectOption('bank_statement');
    await expectAccessible(page, 'evidence with a refused file (zh-CN)');
    await page.getByRole('button', { name: '下一步' }).click();

    await heading(page, '请核对您的信息');
    await page.getByText('某某支付').waitFor();
    await page
      .getByText('statement.pdf（银行流水）')
      .or(page.getByText('statement.pdf (银行流水)'))
      .waitFor();
    await page.getByRole('link', { name: '修改 金额' }).click();
    await heading(page, '是哪一笔交易？');
    await page.getByLabel('金额').fill('1300');
    await page.getByRole('button', { name: '下一步' }).click();
    await heading(page, '请核对您的信息');
    await page.getByText('¥1,300.00').waitFor();
    await expectAccessible(page, 'check your answers (zh-CN)');
    await page.getByRole('button', { name: '确认提交' }).click();

    await heading(page, '投诉已提交');
    const reference = (await page.locator('.reference-large').textContent()) ?? '';
    expect(reference).to.match(/^RD-\d{4}-\d{6}$/);
    await page.getByText(`我们已将详情发送至 ${user.email}`).waitFor();
    await page.getByText(/公司确认收到您的投诉：/).waitFor();
    await expectAccessible(page, 'confirmation (zh-CN)');
    expect(await page.evaluate(`localStorage.getItem('redress.fileDraft.${user.id}')`)).to.equal(
      null,
    );

    await t.server.services.notifications.runOnce();
    const mails = smtp.to(user.email);
    expect(mails.map((m) => m.subject).join('\n')).to.contain(reference);

    await page.goto('/cases');
    await heading(page, '我的投诉');
    await page.getByText('退款未到账').waitFor();
    await expectAccessible(page, 'my cases (zh-CN)');
    await page.getByRole('link', { name: reference }).click();
    await heading(page, reference);
    await page.getByText('完整性已验证').waitFor();
    await page.getByText('订单截图.png', { exact: true }).first().waitFor();
    await page.getByText('statement.pdf', { exact: true }).first().waitFor();
    await page.getByRole('img', { name: /订单截图\.png/ }).waitFor();
    await expectAccessible(page, 'case (zh-CN)');
    expect(errors).to.deep.equal([]);
  });

  it('ends without a case when "This solved it", and counts it', async () => {
    const user = await createUser(t, 'complainant');
    open = await browser.open({ baseUrl: t.server.url, viewport: PHONE });
    const { page, errors } = open;
    await signIn(page, user, false);
    await expectAccessible(page, 'my cases, empty (en)');
    await page.getByRole('button', { name: 'File a complaint' }).click();
    await heading(page, 'What went wrong?');
    await page.getByLabel('Category').selectOption('unauthorized_transaction');
    await expectAccessible(page, 'category (en)');
    await page.getByRole('button', { name: 'Next' }).click();
    await heading(page, 'Try these first');
    await page.getByText('This is urgent').waitFor();
    await page.getByText('Call your bank now').waitFor();
    await expectAccessible(page, 'first checks (en)');
    await page.getByRole('button', { name: 'This solved it' }).click();
    await heading(page, 'We are glad it is solved');
    await expectAccessible(page, 'solved (en)');

    const officer = await createUser(t, 'officer');
    const counts = await t.http.get('/api/v1/self-help/solved').set(officer.auth).expect(200);
    expect(counts.body.byCategory.unauthorized_transaction).to.be.at.least(1);
    const mine = await t.http.get('/api/v1/cases').set(user.auth).expect(200);
    expect(mine.body.items).to.have.length(0);
    expect(errors).to.deep.equal([]);
  });

  it('answers a question, survives a conflict, rejects the response and escalates', async () => {
    const user = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, user, {
      locale: 'en',
      jurisdiction: 'GB',
      currency: 'GBP',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    await send(t, officer, filed, { type: 'REQUEST_INFO', question: 'Which card did you use?' });

    open = await browser.open({ baseUrl: t.server.url, viewport: PHONE });
    const { page, errors } = open;
    await signIn(page, user, false);
    await page.getByRole('link', { name: filed.reference }).click();
    await heading(page, filed.reference);
    await page.getByText('Which card did you use?').first().waitFor();
    await page.getByLabel('Your answer').fill('The Visa ending 4242.');
    // Meanwhile an officer changes the case: the answer is refused as stale, and kept.
    await send(t, officer, filed, { type: 'ASSIGN', officerId: officer.id });
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByText('The complaint changed while you were on this page').waitFor();
    expect(await page.getByLabel('Your answer').inputValue()).to.equal('The Visa ending 4242.');
    await expectAccessible(page, 'case with a conflict (en)');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByText('Information sent').waitFor();

    await send(t, officer, filed, {
      type: 'ISSUE_RESPONSE',
      outcome: 'rejected',
      message: 'We found no error on our side.',
    });
    await page.reload();
    await page.getByText('We found no error on our side.').first().waitFor();
    await page.getByLabel('Why you do not accept it (optional)').fill('The money left my account.');
    await page.getByRole('button', { name: 'Reject response' }).click();
    await page.getByText('Response rejected').first().waitFor();

    // The body needs evidence: the rule's reason is shown, then evidence is added here.
    const escalate = async () => {
      await page.getByRole('button', { name: 'Escalate' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Financial Ombudsman Service').first().waitFor();
      await dialog.getByRole('button', { name: 'Escalate' }).click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await page.getByRole('button', { name: 'Escalate' }).click();
    await expectAccessible(page, 'escalate dialog (en)');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await escalate();
    await page.getByText(/missing at least one piece of evidence/).waitFor();
    await page
      .getByLabel('Evidence files')
      .setInputFiles([{ name: 'card.png', mimeType: 'image/png', buffer: PNG }]);
    await page.getByRole('button', { name: 'Upload evidence' }).click();
    await page.getByText('All files were added to the case.').waitFor();
    await page.getByRole('img', { name: /card\.png/ }).waitFor();
    await escalate();
    await page.getByText('Escalated: preparing the submission').first().waitFor();
    await expectAccessible(page, 'case, escalated (en)');
    // The stale answer and the refused escalation are the two refusals this test provokes.
    expect(errors.filter((e) => !/status of (409|422)/.test(e))).to.deep.equal([]);
  });
});
