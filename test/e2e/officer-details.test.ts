import { expect } from 'chai';
import { addEvidenceCount, fileCase, send } from '../helpers/cases.ts';
import { expectAccessible, launchBrowser, signIn, type TestBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

// What 12315 needs, completed by the officer: the complainant's contact on their account (while
// filing for them, or later from the case) and the company's details with "Update details",
// whose timeline entry then says what changed, to the officer and to the complainant.
describe('web app: the officer completes what 12315 needs (Chromium, desktop)', function () {
  this.timeout(90_000);
  let t: TestServer;
  let browser: TestBrowser;
  let officer: TestUser;

  before(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
    officer = await createUser(t, 'officer', { name: 'Olivia Officer' });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('takes the contact and the company details in the workspace, the timeline naming them', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN', contact: null });
    const filed = await fileCase(t, complainant, {
      respondent: { name: '某某支付', kind: 'platform' },
    });
    await addEvidenceCount(t, filed.id);
    await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });

    const { page, errors, close } = await browser.open({ baseUrl: t.server.url });
    await signIn(page, officer, 'en');
    await page.goto(`/cases/${filed.id}`);
    const needs = page.getByRole('region', { name: /still needs$/ });
    await needs.getByText("Complainant's phone number").waitFor();
    await needs.getByText("Complainant's postal address").waitFor();
    await needs.getByText("Respondent's address or registration number").waitFor();
    await expectAccessible(page, 'workspace missing what 12315 needs (en)');

    // The complainant's contact, on their account.
    await needs.getByLabel('Phone number').fill('138 1234 5678');
    await needs.getByLabel('Address line 1').fill('上海市浦东新区世纪大道 88 号');
    await needs.getByLabel('Town or city').fill('上海市');
    await needs.getByRole('button', { name: 'Save contact details' }).click();
    await needs.getByText("Complainant's postal address").waitFor({ state: 'detached' });
    const contact = await t.http
      .get(`/api/v1/complainants/${complainant.id}/contact`)
      .set(officer.auth)
      .expect(200);
    expect(contact.body.phone).to.equal('+8613812345678');

    // The company's details: nothing changed is refused before any request; a wrong check
    // character is the server's 400, shown next to the field; then it goes through.
    await page.getByRole('button', { name: 'Update details', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Update details' }).click();
    await dialog.getByText('Enter the address, the registration number or both').first().waitFor();
    await dialog.getByLabel('Registration number').fill('91350100M000100Y44');
    await dialog.getByRole('button', { name: 'Update details' }).click();
    await dialog
      .getByText(/Enter a valid registration number/)
      .first()
      .waitFor();
    await expectAccessible(page, 'update details refused (en)');
    await dialog.getByLabel('Registration number').fill('91350100M000100Y43');
    await dialog.getByRole('button', { name: 'Update details' }).click();
    await dialog.waitFor({ state: 'detached' });
    await needs.waitFor({ state: 'detached' });
    const entry = page.getByRole('listitem').filter({ hasText: 'Company details completed' });
    await entry.getByText('Registration number').waitFor();
    await entry.getByText('91350100M000100Y43').waitFor();
    expect(await entry.getByText("Company's address").count()).to.equal(0);
    const after = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth).expect(200);
    expect(after.body.respondent.registrationNumber).to.equal('91350100M000100Y43');
    expect(after.body.escalation.missing).to.deep.equal([]);
    // The wrong check character is the one 400 this test provokes.
    expect(errors.filter((e) => !/status of 400/.test(e))).to.deep.equal([]);
    expect(errors).to.have.length(1);
    await close();

    // The complainant reads the same entry in Chinese, from the same label table.
    const mine = await browser.open({ baseUrl: t.server.url, locale: 'zh-CN' });
    await signIn(mine.page, complainant, 'zh-CN');
    await mine.page.goto(`/cases/${filed.id}`);
    const theirs = mine.page.getByRole('listitem').filter({ hasText: '已补充被投诉人信息' });
    await theirs.getByText('登记号码（统一社会信用代码）').waitFor();
    await theirs.getByText('91350100M000100Y43').waitFor();
    await expectAccessible(mine.page, 'complainant timeline with the details (zh-CN)');
    expect(mine.errors).to.deep.equal([]);
    await mine.close();
  });

  it('asks for the contact 12315 needs while filing on behalf, in Chinese', async () => {
    // The page speaks the officer's own language.
    const zhOfficer = await createUser(t, 'officer', { locale: 'zh-CN', name: '李警官' });
    const { page, errors, close } = await browser.open({ baseUrl: t.server.url, locale: 'zh-CN' });
    await signIn(page, zhOfficer, 'zh-CN');
    await page.goto('/file-on-behalf');
    await page.getByLabel('投诉人的邮箱地址').fill('caller-cn@example.com');
    await page.getByRole('button', { name: '查找投诉人' }).click();
    await page.getByLabel('投诉人姓名').fill('王芳');
    await page.getByRole('button', { name: '创建账户' }).click();
    const next = () => page.getByRole('button', { name: '下一步', exact: true }).click();
    await page.getByLabel('问题类型').selectOption('refund_not_received');
    await next();
    await page.getByRole('button', { name: '我仍需投诉' }).click();
    await page.getByLabel('公司名称').fill('某某支付');
    await page.getByLabel('公司类型').selectOption('platform');
    await page.getByLabel('国家或地区', { exact: true }).selectOption('CN');
    await next();
    await page.getByLabel('交易日期').fill('2026-10-30');
    await page.getByLabel('金额', { exact: true }).fill('88.50');
    await page.getByLabel('交易单号（选填）').fill('TX-PHONE-CN');
    await next();
    await page.getByLabel('发生了什么').fill('退款一直没有到账。');
    await page.getByLabel('您的诉求').fill('退还 88.50 元。');
    await next();
    await next();

    // Check answers: 12315 needs what the new account lacks, asked before submitting.
    const form = page.getByRole('heading', { name: '投诉人的联系方式' });
    await form.waitFor();
    await page.getByText('投诉人电话号码').waitFor();
    await page.getByText('投诉人通讯地址').waitFor();
    await expectAccessible(page, 'check answers on behalf, contact asked (zh-CN)');
    await page.getByLabel('电话号码').fill('13812345678');
    await page.getByLabel('地址第一行').fill('北京市朝阳区建国路 1 号');
    await page.getByLabel('市/区').fill('北京市');
    await page.getByRole('button', { name: '保存联系方式' }).click();
    await page.getByText('投诉人的联系方式已保存。').waitFor();
    await page.getByRole('button', { name: '确认提交' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);

    // The workspace asks only for what is still missing: the company's address or code.
    const needs = page.getByRole('region', { name: /还需要$/ });
    await needs.getByText('被投诉人地址或登记号码（在中国为统一社会信用代码）').waitFor();
    expect(await needs.getByText('投诉人电话号码').count()).to.equal(0);
    const found = await t.http
      .get('/api/v1/complainants')
      .query({ email: 'caller-cn@example.com' })
      .set(officer.auth)
      .expect(200);
    const contact = await t.http
      .get(`/api/v1/complainants/${found.body.items[0].id}/contact`)
      .set(officer.auth)
      .expect(200);
    expect(contact.body).to.deep.include({ phone: '+8613812345678' });
    expect(contact.body.postalAddress).to.include({ locality: '北京市', country: 'CN' });
    expect(errors).to.deep.equal([]);
    await close();
  });
});
