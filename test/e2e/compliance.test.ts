import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { expectAccessible, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { fileCase, send, type CaseRef } from '../helpers/cases.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

const MESSAGE = 'We will refund the full amount within five days';

async function signIn(
  page: Page,
  user: TestUser,
  labels = { email: 'Email', password: 'Password', button: 'Sign in' },
) {
  await page.goto('/sign-in');
  await page.getByLabel(labels.email, { exact: true }).fill(user.email);
  await page.getByLabel(labels.password, { exact: true }).fill(user.password);
  await page.getByRole('button', { name: labels.button, exact: true }).click();
}

const ZH = { email: '电子邮箱', password: '密码', button: '登录' };

/** One character changed inside the ISSUE_RESPONSE entry's data of the case on `line`. */
function tamper(file: Buffer, reference: string): { bytes: Buffer; seq: number } {
  const lines = file.toString('utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(`"reference":"${reference}"`));
  const line = lines[index]!;
  const parsed = JSON.parse(line) as { timeline: { seq: number; type: string }[] };
  const seq = parsed.timeline.find((entry) => entry.type === 'ISSUE_RESPONSE')!.seq;
  const start = line.indexOf('"timeline":');
  const at = line.indexOf(MESSAGE, start);
  expect(at, 'the message in the timeline').to.be.greaterThan(start);
  lines[index] = `${line.slice(0, at)}w${line.slice(at + 1)}`;
  return { bytes: Buffer.from(lines.join('\n')), seq };
}

describe('web app: compliance exports, offline verification and accounts (Chromium)', function () {
  this.timeout(90_000);
  let t: TestServer;
  let browser: TestBrowser;
  let cases: CaseRef[];
  let compliance: TestUser;
  let complianceZh: TestUser;
  let admin: TestUser;
  let adminZh: TestUser;
  let officer: TestUser;
  let downloaded: Buffer;

  before(async () => {
    t = await startTestServer();
    browser = await launchBrowser();
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN' });
    officer = await createUser(t, 'officer', { name: 'Olive Officer' });
    compliance = await createUser(t, 'compliance');
    complianceZh = await createUser(t, 'compliance', { locale: 'zh-CN' });
    admin = await createUser(t, 'admin');
    adminZh = await createUser(t, 'admin', { locale: 'zh-CN' });
    cases = [];
    for (const jurisdiction of ['CN', 'CN', 'US']) {
      const filed = await fileCase(t, complainant, {
        jurisdiction,
        ...(jurisdiction === 'US' ? { currency: 'USD', locale: 'en' } : {}),
      });
      const accepted = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
      cases.push(
        await send(t, officer, accepted, {
          type: 'ISSUE_RESPONSE',
          outcome: 'upheld',
          message: MESSAGE,
        }),
      );
    }
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('exports NDJSON, lists it with its sha256, and verifies the file in the browser, altered or not', async () => {
    const { page, errors, close } = await browser.open({ baseUrl: t.server.url });
    await signIn(page, compliance);
    await page.waitForURL('**/exports');
    await page.getByRole('heading', { level: 1, name: 'Exports' }).waitFor();
    await page.getByLabel('Format').selectOption('ndjson');
    await expectAccessible(page, 'exports (en)');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const path = join(t.tempDir, 'export.ndjson');
    await download.saveAs(path);
    downloaded = readFileSync(path);
    const sha256 = createHash('sha256').update(downloaded).digest('hex');
    expect(downloaded.toString('utf8').trim().split('\n')).to.have.length(3);
    await page.getByText('The export is downloading').waitFor();
    const row = page.getByRole('row').filter({ hasText: sha256 });
    await row.waitFor();
    expect(await row.textContent())
      .to.include(compliance.email)
      .and.include('NDJSON');
    await expectAccessible(page, 'exports with a past export (en)');

    await page.getByRole('link', { name: 'Verify an export' }).click();
    await page.getByRole('heading', { level: 1, name: 'Verify an export' }).waitFor();
    await page.getByText('Nothing is uploaded.').waitFor();
    await expectAccessible(page, 'verify (en)');
    await page.getByLabel('Export file').setInputFiles(path);
    await page.getByText('3/3 cases verified').waitFor();
    await page.getByText(sha256).waitFor();
    await page.getByText('This is the file exported').waitFor();
    await expectAccessible(page, 'verify, all verified (en)');

    const altered = cases[1]!.reference;
    const { bytes, seq } = tamper(downloaded, altered);
    await page.getByLabel('Export file').setInputFiles({
      name: 'altered.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: bytes,
    });
    await page.getByText('2/3 cases verified').waitFor();
    const broken = page.getByRole('table', { name: 'Cases that do not verify' });
    const rows = broken.getByRole('row');
    expect(await rows.count()).to.equal(2);
    const cells = await rows.nth(1).getByRole('cell').allTextContents();
    expect(cells[0]).to.equal(altered);
    expect(cells[1]).to.equal('2');
    expect(cells[2]).to.equal(String(seq));
    expect(cells[3]).to.include('ISSUE_RESPONSE');
    expect(cells[4]).to.match(/does not match its hash/);
    await page.getByText('No recent export has this sha256').waitFor();
    await expectAccessible(page, 'verify, one altered case (en)');
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('shows the export and verify pages in zh-CN', async () => {
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      locale: 'zh-CN',
    });
    await signIn(page, complianceZh, ZH);
    await page.waitForURL('**/exports');
    await page.getByRole('heading', { level: 1, name: '导出' }).waitFor();
    await page.getByRole('row').filter({ hasText: compliance.email }).first().waitFor();
    await expectAccessible(page, 'exports (zh-CN)');
    await page.goto('/verify');
    await page.getByRole('heading', { level: 1, name: '校验导出文件' }).waitFor();
    // Dropped on the drop zone this time, rather than chosen with the file input.
    // A page-side expression: the test's own TypeScript has no DOM types.
    const transfer = await page.evaluateHandle(`(() => {
      const data = new DataTransfer();
      const text = ${JSON.stringify(downloaded.toString('utf8'))};
      data.items.add(new File([text], 'export.ndjson', { type: 'application/x-ndjson' }));
      return data;
    })()`);
    await page
      .getByText('也可以把文件拖放到这里。')
      .dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByText('3/3 个案件校验通过').waitFor();
    await page.getByText(/^这是 .+ 导出的文件/).waitFor();
    await expectAccessible(page, 'verify (zh-CN)');
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('lets an admin create an officer, change a role and disable an account, which ends its sessions', async () => {
    const { page, errors, close } = await browser.open({ baseUrl: t.server.url });
    await signIn(page, admin);
    await page.waitForURL('**/users');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('cell', { name: officer.email }).waitFor();
    await expectAccessible(page, 'users (en)');

    await page.getByLabel('Name', { exact: true }).fill('Nora New');
    await page.getByLabel('Email', { exact: true }).fill('nora.new@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a-long-password-2');
    await page.getByLabel('Role', { exact: true }).selectOption('officer');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('The account for nora.new@example.com is ready.').waitFor();
    const nora = page.getByRole('row').filter({ hasText: 'nora.new@example.com' });
    await nora.getByText('Case officer').waitFor();
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'nora.new@example.com', password: 'a-long-password-2' });
    expect(login.status).to.equal(200);

    await nora.getByRole('button', { name: 'Change role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the role of Nora New' });
    await dialog.getByLabel('New role').selectOption('compliance');
    await expectAccessible(page, 'change role dialog (en)');
    await dialog.getByRole('button', { name: 'Change role' }).click();
    await page.getByText('Nora New is now Compliance. Their sessions have ended.').waitFor();
    await nora.getByText('Compliance').waitFor();

    const olive = page.getByRole('row').filter({ hasText: officer.email });
    await olive.getByRole('button', { name: 'Disable' }).click();
    await page
      .getByRole('dialog', { name: 'Disable Olive Officer?' })
      .getByRole('button', { name: 'Disable' })
      .click();
    await page.getByText('Olive Officer is disabled and signed out everywhere.').waitFor();
    await olive.getByText('Disabled').waitFor();
    await olive.getByRole('button', { name: 'Enable' }).waitFor();
    const me = await t.http.get('/api/v1/me').set(officer.auth);
    expect(me.status).to.equal(401);
    await expectAccessible(page, 'users after changes (en)');
    expect(errors).to.deep.equal([]);
    await close();
  });

  it('shows the users page in zh-CN', async () => {
    const { page, errors, close } = await browser.open({
      baseUrl: t.server.url,
      locale: 'zh-CN',
    });
    await signIn(page, adminZh, ZH);
    await page.waitForURL('**/users');
    await page.getByRole('heading', { level: 1, name: '用户' }).waitFor();
    await page.getByRole('cell', { name: 'nora.new@example.com' }).waitFor();
    await page.getByLabel('按角色显示账户').selectOption('compliance');
    await page.getByRole('cell', { name: compliance.email }).waitFor();
    expect(await page.getByRole('cell', { name: officer.email }).count()).to.equal(0);
    await expectAccessible(page, 'users (zh-CN)');
    expect(errors).to.deep.equal([]);
    await close();
  });
});
