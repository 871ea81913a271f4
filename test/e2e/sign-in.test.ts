import { expect } from 'chai';
import { expectAccessible, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createUser } from '../helpers/users.ts';

describe('web app: accounts and sessions (Chromium)', function () {
  this.timeout(60_000);
  let t: TestServer;
  let browser: TestBrowser;

  before(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('registers in zh-CN on a phone, signs in, and signs out, which revokes the session', async () => {
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      viewport: PHONE,
      locale: 'zh-CN',
    });
    await page.goto('/');
    await page.getByRole('heading', { name: '登录 Redress' }).waitFor();
    await expectAccessible(page, 'sign in (zh-CN)');
    await page.getByRole('link', { name: '注册账户' }).click();
    await page.getByLabel('姓名').fill('李雷');
    await page.getByLabel('电子邮箱').fill('li.lei@example.com');
    await page.getByLabel('密码').fill('a-long-password-1');
    await expectAccessible(page, 'register (zh-CN)');
    await page.getByRole('button', { name: '创建账户' }).click();
    await page.getByText('账户已创建，请登录继续。').waitFor();

    await page.getByLabel('电子邮箱').fill('li.lei@example.com');
    await page.getByLabel('密码').fill('a-long-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/cases');
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'redress_session');
    expect(session?.httpOnly).to.equal(true);
    expect(session?.sameSite).to.equal('Lax');
    expect(await page.evaluate('document.cookie')).not.to.include('redress_session');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/sign-in');
    // The old cookie no longer opens anything: the session was revoked, not just forgotten.
    const replay = await fetch(`${t.server.url}/api/v1/me`, {
      headers: { Cookie: `redress_session=${session!.value}` },
    });
    expect(replay.status).to.equal(401);
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('shows an error summary that takes focus and links to each field', async () => {
    const { page, errors, close } = await browser.open({ baseUrl: t.server.url });
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await page.evaluate('document.activeElement?.textContent')).to.include(
      'There is a problem',
    );
    await summary.getByRole('link', { name: /email address/ }).click();
    expect(await page.evaluate('document.activeElement?.id')).to.equal('email');
    await expectAccessible(page, 'sign in with errors');
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('refuses a wrong password in words and keeps what was typed', async () => {
    const user = await createUser(t, 'officer');
    const { page, close } = await browser.open({ baseUrl: t.server.url });
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is wrong').waitFor();
    expect(await page.getByLabel('Email').inputValue()).to.equal(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/queue');
    await close();
  });
});
