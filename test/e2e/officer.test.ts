import { expect } from 'chai';
import type { Page } from 'playwright-core';
import {
  DESKTOP,
  expectAccessible,
  launchBrowser,
  signIn,
  type TestBrowser,
} from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DEADLINE_UNIT_LABELS } from '../../workflows/labels.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

/** Opens the first case of the queue with the keyboard alone: j moves, Enter opens. */
async function openFirstByKeyboard(page: Page): Promise<string> {
  await page.locator('tbody tr a').first().waitFor();
  await page.keyboard.press('j');
  const focused = String(await page.evaluate("document.activeElement?.textContent ?? ''"));
  expect(focused).to.match(/^RD-\d{4}-\d+$/);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);
  return page.url().split('/').at(-1)!;
}

describe('web app: the officer (Chromium, desktop)', function () {
  this.timeout(60_000);
  let t: TestServer;
  let browser: TestBrowser;
  let officer: TestUser;
  let complainant: TestUser;

  before(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
    officer = await createUser(t, 'officer', { name: 'Olivia Officer' });
    complainant = await createUser(t, 'complainant');
    await fileCase(t, complainant);
    await fileCase(t, complainant, {
      category: 'refund_not_received',
      jurisdiction: 'US',
      locale: 'en',
      currency: 'USD',
      narrative: 'The refund for my order never arrived.',
    });
    await fileCase(t, complainant, { category: 'poor_service', jurisdiction: 'GB' });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('triages a case from the queue by keyboard, keeps typed text on a conflict, adds a note', async () => {
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: DESKTOP,
    });
    await signIn(page, officer, 'en');
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    await page.getByRole('tab', { name: 'To triage 3 cases' }).waitFor();
    await page.getByRole('tab', { name: 'Unassigned 3 cases' }).waitFor();
    await expectAccessible(page, 'queue (en)');
    // The default order is time left across all pages, and the select says so.
    const order = page.getByLabel('Order');
    expect(await order.locator('option:checked').textContent()).to.equal(
      'Time left, soonest first',
    );

    const caseId = await openFirstByKeyboard(page);
    await page.getByRole('heading', { level: 1, name: /^Case RD-/ }).waitFor();
    await page.getByText('What happened').first().waitFor();
    await expectAccessible(page, 'workspace (en)');

    await page.getByRole('button', { name: 'Accept for review', exact: true }).click();
    await page.getByText('Done: Accept for review.').waitFor();
    // The final-response clock, as the server names it for this case's country.
    const accepted = await t.http.get(`/api/v1/cases/${caseId}`).set(officer.auth).expect(200);
    const clock = accepted.body.deadlines.find(
      (d: { kind: string }) => d.kind === 'finalResponse',
    ).clock;
    const finalRow = page
      .getByRole('region', { name: 'Deadlines' })
      .getByRole('row', { name: /^Final response/ });
    await finalRow
      .getByRole('cell', {
        name: `${clock.amount} ${DEADLINE_UNIT_LABELS[clock.unit as 'hours'].en}`,
      })
      .waitFor();

    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    const assign = page.getByRole('dialog');
    await assign.getByLabel('Officer').waitFor();
    // The officer list arrives after the dialog opens; the form then picks the officer themself.
    for (let tries = 0; !(await assign.getByLabel('Officer').inputValue()) && tries < 50; tries++)
      await page.waitForTimeout(100);
    expect(await assign.getByLabel('Officer').inputValue()).to.equal(officer.id);
    await assign.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByText('Done: Assign.').waitFor();
    await page.getByText('Olivia Officer').first().waitFor();

    await page.getByRole('button', { name: 'Request information', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const question = 'Please send the bank statement for November.';
    await dialog.getByLabel('Question for the complainant').fill(question);
    await expectAccessible(page, 'Request information dialog (en)');
    // Someone else changes the case meanwhile: the version the page holds is now stale.
    await t.http
      .post(`/api/v1/cases/${caseId}/events`)
      .set(officer.auth)
      .send({ type: 'ASSIGN', officerId: officer.id })
      .expect(200);
    await dialog.getByRole('button', { name: 'Request information', exact: true }).click();
    await dialog.getByText('Someone else changed this case').waitFor();
    expect(await dialog.getByLabel('Question for the complainant').inputValue()).to.equal(question);
    await dialog.getByRole('button', { name: 'Request information', exact: true }).click();
    await page.getByText('Done: Request information.').waitFor();
    const after = await t.http.get(`/api/v1/cases/${caseId}`).set(officer.auth).expect(200);
    expect(after.body.state).to.equal('platformReview.awaitingComplainant');

    const note = 'Called the bank; they will reply by Friday.';
    await page.getByLabel('Internal note').fill(note);
    await page.getByRole('button', { name: 'Add note', exact: true }).click();
    await page.getByText('The note was added to the timeline.').waitFor();
    await page.getByText(note).waitFor();
    const timeline = await t.http
      .get(`/api/v1/cases/${caseId}/timeline`)
      .set(officer.auth)
      .expect(200);
    expect(timeline.body.entries.map((entry: { type: string }) => entry.type)).to.include('NOTE');
    // The browser logs every 4xx response; the one 409 above is the conflict this test provokes.
    const unexpected = errors.filter((error) => !error.includes('status of 409 (Conflict)'));
    expect(unexpected).to.deep.equal([]);
    expect(errors.length - unexpected.length).to.equal(1);
    await close();
  });

  it('files on behalf of a new complainant who phoned', async () => {
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: DESKTOP,
    });
    // A case still waiting for triage whatever the other tests did.
    const { reference: britishReference } = await fileCase(t, complainant, {
      category: 'poor_service',
      jurisdiction: 'GB',
    });
    await signIn(page, officer, 'en');
    // Search by reference, then narrow by country: one page request per change.
    await page.getByLabel('Search cases').fill(britishReference);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=RD-/);
    await page.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: britishReference }).waitFor();
    await page.getByLabel('Country filter').selectOption('CN');
    await page.getByText('No cases in this view.').waitFor();
    await page.getByRole('link', { name: 'File on behalf' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'File on behalf of a complainant' })
      .waitFor();
    await page.getByLabel('How they contacted us').selectOption('phone');
    await page.getByLabel("Complainant's email address").fill('caller@example.com');
    await page.getByRole('button', { name: 'Find complainant' }).click();
    await page.getByText('No account uses caller@example.com').waitFor();
    await page.getByLabel("Complainant's full name").fill('Wang Fang');
    await page.getByRole('button', { name: 'Create their account' }).click();
    await page.getByText('Filing for Wang Fang (caller@example.com)').waitFor();
    await expectAccessible(page, 'file on behalf (en)');

    // The complainant's own guided steps, filed for the caller.
    const next = () => page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByLabel('Category').selectOption('refund_not_received');
    await next();
    await page.getByRole('button', { name: 'I still need to complain' }).click();
    await page.getByLabel('Company name').fill('Example Pay');
    await page.getByLabel('Company type').selectOption('platform');
    await page.getByLabel('Country').selectOption('CN');
    await next();
    await page.getByLabel('Transaction date').fill('2026-10-30');
    await page.getByLabel('Amount').fill('88.50');
    await page.getByLabel('Currency').selectOption('CNY');
    await page.getByLabel('Transaction reference').fill('TX-PHONE-1');
    await next();
    await page
      .getByLabel('What happened')
      .fill('The refund for a cancelled order has not arrived.');
    await page.getByLabel('What you want').fill('The refund of 88.50 yuan.');
    await next();
    await next();
    await page.getByText('Example Pay').first().waitFor();
    await expectAccessible(page, 'check answers, on behalf (en)');
    await page.getByRole('button', { name: 'Submit complaint' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);
    await page.getByRole('heading', { level: 1, name: /^Case RD-/ }).waitFor();
    await page.getByText('¥88.50').or(page.getByText('CN¥88.50')).first().waitFor();

    const id = page.url().split('/').at(-1)!;
    const filed = await t.http.get(`/api/v1/cases/${id}`).set(officer.auth).expect(200);
    expect(filed.body.channel).to.equal('phone');
    expect(filed.body.transaction.amount).to.deep.equal({ amountMinor: 8850, currency: 'CNY' });
    const found = await t.http
      .get('/api/v1/complainants')
      .query({ email: 'caller@example.com' })
      .set(officer.auth)
      .expect(200);
    expect(filed.body.ownerId).to.equal(found.body.items[0].id);
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('lists a parked email with its last error and sends it again', async () => {
    // A delivery that gave up, made straight in the store: the dispatcher has its own tests.
    await t.server.services.notifications.relay();
    const parked = await t.server.database.connection.collection('notifications').findOneAndUpdate(
      { template: 'filed' },
      {
        $set: {
          status: 'parked',
          attempts: 5,
          lastError: 'connect ECONNREFUSED 127.0.0.1:2525',
          parkedAt: new Date('2026-11-02T10:00:00Z'),
        },
      },
    );
    expect(parked).to.not.equal(null);
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: DESKTOP,
    });
    await signIn(page, officer, 'en');
    await page.getByRole('link', { name: 'Parked emails' }).click();
    await page.getByRole('heading', { level: 1, name: 'Parked emails' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'ECONNREFUSED' });
    await row.getByText('Complaint received').waitFor();
    await row.getByRole('link', { name: /^RD-\d{4}-\d+$/ }).waitFor();
    await expectAccessible(page, 'parked emails (en)');
    await row.getByRole('button', { name: /^Retry/ }).click();
    await page.getByText(/will be sent again shortly/).waitFor();
    await page.getByText('No emails are parked.').waitFor();
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('shows compliance the workspace read-only', async () => {
    const auditor = await createUser(t, 'compliance');
    const listed = await t.http.get('/api/v1/cases').set(officer.auth).expect(200);
    const id = listed.body.items[0].id as string;
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: DESKTOP,
    });
    page.setDefaultTimeout(10_000);
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(auditor.email);
    await page.getByLabel('Password').fill(auditor.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/exports');
    await page.goto(`/cases/${id}`);
    await page.getByRole('heading', { level: 1, name: /^Case RD-/ }).waitFor();
    await page.getByText('You can read this case but not change it.').waitFor();
    await page.getByRole('link', { name: 'Download the dossier (PDF)' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add note' }).count()).to.equal(0);
    expect(await page.getByRole('heading', { name: 'Actions' }).count()).to.equal(0);
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('works in zh-CN: queue, workspace and parked emails pass axe', async () => {
    const chinese = await createUser(t, 'officer', { locale: 'zh-CN', name: '王专员' });
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: DESKTOP,
      locale: 'zh-CN',
    });
    await signIn(page, chinese, 'zh-CN');
    await page.getByRole('heading', { level: 1, name: '工作队列' }).waitFor();
    await page.getByRole('tab', { name: /^待分诊 \d+ 件$/ }).waitFor();
    await page.locator('tbody tr a').first().waitFor();
    await expectAccessible(page, 'queue (zh-CN)');
    await openFirstByKeyboard(page);
    await page.getByRole('heading', { level: 1, name: /^案件 RD-/ }).waitFor();
    await page.getByRole('button', { name: '受理审核', exact: true }).waitFor();
    await expectAccessible(page, 'workspace (zh-CN)');
    await page.goto('/notifications');
    await page.getByRole('heading', { level: 1, name: '暂停的邮件' }).waitFor();
    await page.getByText('没有暂停的邮件').waitFor();
    await expectAccessible(page, 'parked emails (zh-CN)');
    expect(errors).to.deep.equal([]);
    await close();
  });
});
