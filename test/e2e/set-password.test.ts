import { expect } from 'chai';
import { complaintBody } from '../helpers/cases.ts';
import { expectAccessible, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

describe('web app: an account an officer opened (Chromium)', function () {
  this.timeout(60_000);
  let smtp: TestSmtpServer;
  let t: TestServer;
  let browser: TestBrowser;
  let officer: TestUser;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({ SMTP_URL: smtp.url });
    t.clock.set(new Date());
    browser = await launchBrowser();
    officer = await createUser(t, 'officer');
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    await smtp?.stop();
  });

  it('sets a password from the emailed link on a phone, signs in and finds the case filed for them', async () => {
    const email = 'zhang.wei@example.com';
    const account = await t.http
      .post('/api/v1/complainants')
      .set(officer.auth)
      .send({ email, name: '张伟', locale: 'zh-CN' })
      .expect(201);
    const filed = await t.http
      .post('/api/v1/cases')
      .set(officer.auth)
      .send(complaintBody({ complainantId: account.body.id, channel: 'phone' }))
      .expect(201);
    await t.server.services.notifications.runOnce();
    const mail = smtp.to(email).find((m) => /set-password\?token=/.test(m.text));
    expect(mail, 'the set-password email').to.not.equal(undefined);
    const token = /set-password\?token=([\w-]+)/.exec(mail!.text)![1]!;

    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: PHONE,
      locale: 'zh-CN',
    });
    await page.goto(`/set-password?token=${token}`);
    await page.getByRole('heading', { level: 1, name: '设置密码' }).waitFor();
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByRole('alert').filter({ hasText: '出现问题' }).waitFor();
    await expectAccessible(page, 'set password with an error (zh-CN)');
    await page.getByLabel('新密码').fill('a-password-of-my-own');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByText('密码已设置，请登录继续。').waitFor();

    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill('a-password-of-my-own');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('link', { name: filed.body.reference }).waitFor();
    expect(errors).to.deep.equal([]);
    await close();

    // The link works once: a second use is refused in words, not silently.
    const again = await browser.open({ baseUrl: t.server.url, viewport: PHONE });
    await again.page.goto(`/set-password?token=${token}`);
    await again.page.getByLabel('New password').fill('another-password-1');
    await again.page.getByRole('button', { name: 'Set password' }).click();
    await again.page
      .getByRole('alert')
      .filter({ hasText: /used|no longer|not valid/i })
      .waitFor();
    await expectAccessible(again.page, 'set password, link used (en)');
    await again.close();
  });
});
