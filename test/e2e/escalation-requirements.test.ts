import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { addEvidenceCount, fileCase, send } from '../helpers/cases.ts';
import {
  expectAccessible,
  launchBrowser,
  PHONE,
  type TestBrowser,
  type TestPage,
} from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('电子邮箱').fill(user.email);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL('**/cases');
}

// A new account has no phone and no address, and a case filed without the company's address:
// the case page says what 12315 still needs before the complainant tries, with the forms that
// complete it, and then the case escalates.
describe('web app: completing what 12315 needs before escalating (Chromium)', function () {
  this.timeout(90_000);
  let t: TestServer;
  let browser: TestBrowser;
  let open: TestPage | undefined;

  before(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await open?.close();
    await browser?.close();
    await t?.stop();
  });

  it('lists the missing facts, takes the contact and the credit code, then escalates', async () => {
    t.clock.set(new Date());
    const user = await createUser(t, 'complainant', { locale: 'zh-CN', contact: null });
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, user, {
      respondent: { name: '某某支付', kind: 'platform' },
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await addEvidenceCount(t, filed.id);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'rejected', message: '否' });
    await send(t, user, c, { type: 'REJECT_RESPONSE' });

    open = await browser.open({ baseUrl: t.server.url, viewport: PHONE, locale: 'zh-CN' });
    const { page, errors } = open;
    await signIn(page, user);
    await page.getByRole('link', { name: filed.reference }).click();
    const needs = page.getByRole('region', { name: /还需要/ });
    await needs.getByText('您的电话号码').waitFor();
    await needs.getByText('您的通讯地址').waitFor();
    await needs.getByText('公司地址或统一社会信用代码').waitFor();
    await expectAccessible(page, 'case missing what 12315 needs (zh-CN)');

    // A malformed number is refused, naming the field; a real one is kept in E.164.
    await page.getByLabel('电话号码').fill('123');
    await page.getByLabel('地址第一行').fill('上海市浦东新区世纪大道 88 号');
    await page.getByLabel('市/区').fill('上海市');
    await page.getByRole('button', { name: '保存联系方式' }).click();
    await page.getByText('请输入真实存在的电话号码，例如 138 1234 5678').first().waitFor();
    await page.getByLabel('电话号码').fill('138 1234 5678');
    await page.getByRole('button', { name: '保存联系方式' }).click();
    // Saved: the checklist no longer asks for it (the form and its confirmation then go away
    // with the refreshed case, so the confirmation alone is too brief to wait for).
    await needs.getByText('您的通讯地址').waitFor({ state: 'detached' });
    const contact = await t.http.get('/api/v1/me/contact').set(user.auth).expect(200);
    expect(contact.body.phone).to.equal('+8613812345678');

    // A wrong check character is the server's 400, said next to the code's field.
    await page.getByLabel('登记号码').fill('91350100M000100Y44');
    await page.getByRole('button', { name: '保存公司信息' }).click();
    await page
      .locator('#respondentNumber-error')
      .getByText(/请输入有效的登记号码/)
      .waitFor();
    await page.getByLabel('登记号码').fill('91350100M000100Y43');
    await page.getByRole('button', { name: '保存公司信息' }).click();
    await needs.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '升级投诉' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '升级投诉' }).click();
    await page.getByText('已申请外部处理：正在准备提交材料').first().waitFor();
    const after = await t.http.get(`/api/v1/cases/${filed.id}`).set(user.auth).expect(200);
    expect(after.body.state).to.equal('escalated.preparingSubmission');
    expect(after.body.respondent.registrationNumber).to.equal('91350100M000100Y43');
    // The refused phone number and credit code are the two 400s this test provokes.
    expect(errors.filter((e) => !/status of 400/.test(e))).to.deep.equal([]);
    expect(errors).to.have.length(2);
  });
});
