import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  PHONE,
  type TestBrowser,
  type TestPage,
} from '../helpers/browser.ts';
import { eventually, pdf, png } from '../helpers/evidence.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

// The proof, end to end in one story: a complainant on a phone in zh-CN, an officer
// and compliance on desktops in English, each through the pages only, against the real server,
// database and SMTP server; the API is read only to check what the pages did.

async function signIn(page: Page, user: TestUser, zh = false): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel(zh ? '电子邮箱' : 'Email').fill(user.email);
  await page.getByLabel(zh ? '密码' : 'Password').fill(user.password);
  await page.getByRole('button', { name: zh ? '登录' : 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: zh ? '退出登录' : 'Sign out' }).waitFor();
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

describe('web app: one complaint from filing to the consumer body’s decision (Chromium)', function () {
  this.timeout(180_000);
  let smtp: TestSmtpServer;
  let t: TestServer;
  let browser: TestBrowser;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;
  let stranger: TestUser;
  const pages: TestPage[] = [];

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({ SMTP_URL: smtp.url });
    t.clock.set(new Date());
    browser = await launchBrowser();
    complainant = await createUser(t, 'complainant', { locale: 'zh-CN', name: '王芳' });
    stranger = await createUser(t, 'complainant', { locale: 'zh-CN', name: '李雷' });
    officer = await createUser(t, 'officer', { name: 'Olivia Officer' });
    compliance = await createUser(t, 'compliance', { name: 'Carl Compliance' });
  });
  after(async () => {
    for (const open of pages) await open.close();
    await browser?.close();
    await t?.stop();
    await smtp?.stop();
  });

  async function open(viewport = DESKTOP, locale: 'en' | 'zh-CN' = 'en'): Promise<TestPage> {
    const opened = await browser.open({ baseUrl: t.server.url, viewport, locale });
    pages.push(opened);
    return opened;
  }

  async function stateOf(id: string): Promise<string> {
    const res = await t.http.get(`/api/v1/cases/${id}`).set(officer.auth).expect(200);
    return res.body.state as string;
  }

  async function until(id: string, state: string): Promise<void> {
    await eventually(async () => (await stateOf(id)) === state, 10_000);
  }

  /** An officer's action: its button, its dialog's fields, its dialog's button of the same name. */
  async function act(
    page: Page,
    action: string,
    fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
  ) {
    await page.getByRole('button', { name: action, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await fill(dialog);
    await dialog.getByRole('button', { name: action, exact: true }).click();
    await page.getByText(`Done: ${action}.`).waitFor();
  }

  it('is filed, worked, answered, rejected, escalated, decided, exported and verified', async () => {
    // The complainant files on a phone, in Chinese, with two files of evidence.
    const phone = await open(PHONE, 'zh-CN');
    const me = phone.page;
    await signIn(me, complainant, true);
    await me.getByRole('button', { name: '提交投诉' }).click();
    await me.getByLabel('问题类型').selectOption('refund_not_received');
    await me.getByRole('button', { name: '下一步' }).click();
    await me.getByRole('button', { name: '我仍需投诉' }).click();
    await me.getByLabel('公司名称').fill('某某支付');
    await me.getByLabel('公司类型').selectOption('platform');
    await me.getByLabel('国家或地区').selectOption('CN');
    // 12315 needs the company's address (or its credit code): asked once China is chosen.
    await me.getByLabel('公司地址').fill('上海市浦东新区陆家嘴环路 1000 号');
    await me.getByRole('button', { name: '下一步' }).click();
    await me.getByLabel('交易日期').fill(daysAgo(4));
    await me.getByLabel('金额').fill('1299.50');
    await me.getByLabel('交易单号').fill('TX-2026-0042');
    await me.getByRole('button', { name: '下一步' }).click();
    await me.getByLabel('发生了什么').fill('商家同意退款已经两周，钱一直没有退回。');
    await me.getByLabel('您的诉求').fill('退还 1299.50 元');
    await me.getByRole('button', { name: '下一步' }).click();
    await me.getByLabel('证据文件').setInputFiles([
      { name: '退款截图.png', mimeType: 'image/png', buffer: png(42) },
      { name: '交易记录.pdf', mimeType: 'application/pdf', buffer: pdf(42) },
    ]);
    await me.getByLabel('证据类型').nth(1).selectOption('transaction_record');
    await me.getByRole('button', { name: '下一步' }).click();
    await me.getByRole('button', { name: '确认提交' }).click();
    await me.getByRole('heading', { level: 1, name: '投诉已提交' }).waitFor();
    const reference = ((await me.locator('.reference-large').textContent()) ?? '').trim();
    expect(reference).to.match(/^RD-\d{4}-\d{6}$/);
    const listed = await t.http.get('/api/v1/cases').set(complainant.auth).expect(200);
    const id = (listed.body.items as { id: string; reference: string }[]).find(
      (item) => item.reference === reference,
    )!.id;
    await eventually(async () => {
      const evidence = await t.http.get(`/api/v1/cases/${id}/evidence`).set(officer.auth);
      return (evidence.body.items ?? []).length === 2;
    }, 10_000);

    // The officer triages it from the queue and asks for information.
    const desk = await open();
    const officerPage = desk.page;
    await signIn(officerPage, officer);
    await officerPage.getByRole('link', { name: reference }).click();
    await officerPage.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
    await officerPage.getByText('退款截图.png').first().waitFor();
    await officerPage.getByRole('button', { name: 'Accept for review', exact: true }).click();
    await officerPage.getByText('Done: Accept for review.').waitFor();
    await act(officerPage, 'Request information', (dialog) =>
      dialog.getByLabel('Question for the complainant').fill('请提供商家同意退款的聊天记录。'),
    );
    await until(id, 'platformReview.awaitingComplainant');

    // The complainant answers.
    await me.goto(`/cases/${id}`);
    await me.getByText('请提供商家同意退款的聊天记录。').first().waitFor();
    await me.getByLabel('您的答复').fill('聊天记录已在证据中，商家于 11 月 20 日同意退款。');
    await me.getByRole('button', { name: '发送答复' }).click();
    await until(id, 'platformReview.investigating');

    // The officer issues a response that rejects the complaint.
    await officerPage.reload();
    await act(officerPage, 'Issue response', async (dialog) => {
      await dialog.getByLabel('Outcome').selectOption('rejected');
      await dialog.getByLabel('Message to the complainant').fill('商家称退款已原路退回。');
    });
    await until(id, 'responseIssued.awaitingReply');

    // The complainant rejects it and escalates to 12315.
    await me.reload();
    await me.getByText('商家称退款已原路退回。').first().waitFor();
    await me.getByLabel('不接受的理由（选填）').fill('银行流水显示没有收到退款。');
    await me.getByRole('button', { name: '不接受答复' }).click();
    await until(id, 'responseIssued.rejected');
    await me.reload();
    await me.getByRole('button', { name: '升级投诉' }).click();
    const confirm = me.getByRole('dialog');
    await confirm.getByText(/12315/).first().waitFor();
    await expectAccessible(me, 'escalation dialog (zh-CN)');
    await confirm.getByRole('button', { name: '升级投诉' }).click();
    await until(id, 'escalated.preparingSubmission');

    // The officer records the submission to the body, then its decision.
    await officerPage.reload();
    await act(officerPage, 'Record submission', (dialog) =>
      dialog.getByLabel("The body's reference").fill('12315-2026-778899'),
    );
    await until(id, 'escalated.submitted');
    await act(officerPage, 'Record decision', async (dialog) => {
      await dialog.getByLabel('Decision').selectOption('upheld');
      await dialog.getByLabel('Note').fill('12315 支持退款。');
    });
    await until(id, 'escalated.decided');
    await expectAccessible(officerPage, 'workspace after the decision (en)');

    // The complainant sees it all on the case page, with the chain verified.
    await me.reload();
    await me.getByText('完整性已验证').waitFor();
    await me.getByText('12315-2026-778899').first().waitFor();
    await expectAccessible(me, 'case after the decision (zh-CN)');

    // Every status change reached the complainant by email, each naming the case.
    await t.server.services.notifications.runOnce();
    const mails = smtp.to(complainant.email);
    expect(mails.length, mails.map((m) => m.subject).join('\n')).to.be.at.least(6);
    for (const mail of mails) expect(mail.subject).to.include(reference);

    // Compliance exports the case and verifies the file in the browser.
    const audit = await open();
    const auditor = audit.page;
    await signIn(auditor, compliance);
    await auditor.getByRole('heading', { level: 1, name: 'Exports' }).waitFor();
    await auditor.getByLabel('Format').selectOption('ndjson');
    const [download] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const path = join(t.tempDir, 'journey.ndjson');
    await download.saveAs(path);
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    await auditor.getByRole('link', { name: 'Verify an export' }).click();
    await auditor.getByLabel('Export file').setInputFiles(path);
    await auditor.getByText('1/1 cases verified').waitFor();
    await auditor.getByText(sha256).first().waitFor();

    for (const opened of [phone, desk, audit]) expect(opened.errors).to.deep.equal([]);
  });

  it('shows a second complainant none of it', async () => {
    const other = await open(PHONE, 'zh-CN');
    await signIn(other.page, stranger, true);
    await other.page.getByText('您还没有投诉').waitFor();
    const mine = await t.http.get('/api/v1/cases').set(stranger.auth).expect(200);
    expect(mine.body.items).to.deep.equal([]);
    const theirs = await t.http.get('/api/v1/cases').set(complainant.auth).expect(200);
    const id = (theirs.body.items as { id: string }[])[0]!.id;
    await other.page.goto(`/cases/${id}`);
    await other.page.getByText('无法显示这份投诉').waitFor();
    expect(await other.page.getByText('某某支付').count()).to.equal(0);
    // The only console line is the browser's own note of the API's 404 for someone else's case.
    expect(other.errors.filter((line) => !line.includes('404'))).to.deep.equal([]);
    expect(smtp.to(stranger.email)).to.deep.equal([]);
  });
});
