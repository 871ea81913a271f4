// npm run web:screenshots — the main pages, phone and desktop, zh-CN and en, into
// docs/screenshots/ for the README. Not part of npm test: it rewrites files in docs/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fileCase, send } from '../helpers/cases.ts';
import { pdf, png, upload } from '../helpers/evidence.ts';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createUser, type TestUser } from '../helpers/users.ts';

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const LANGUAGES = ['zh-CN', 'en'] as const;

interface Shot {
  name: string;
  user: () => TestUser;
  device: 'phone' | 'desktop';
  path: () => string;
  /** Text to wait for before the picture: the page has loaded its data. */
  ready: (lang: (typeof LANGUAGES)[number]) => string | RegExp;
}

async function signIn(page: Page, user: TestUser): Promise<void> {
  const res = await page.request.post('/api/v1/auth/session', {
    data: { email: user.email, password: user.password },
  });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
}

describe('screenshots of the web app', function () {
  this.timeout(300_000);
  let t: TestServer;
  let browser: TestBrowser;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;
  let admin: TestUser;
  let caseId = '';

  before(async () => {
    t = await startTestServer();
    t.clock.set(new Date());
    browser = await launchBrowser();
    complainant = await createUser(t, 'complainant', { name: '王芳', locale: 'zh-CN' });
    officer = await createUser(t, 'officer', { name: 'Officer Chen' });
    compliance = await createUser(t, 'compliance', { name: 'Compliance Li' });
    admin = await createUser(t, 'admin', { name: 'Admin Zhao' });
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    const main = await fileCase(t, complainant, { occurredAt: day(3) });
    caseId = main.id;
    await upload(t, complainant, main.id, [
      { name: '扣款截图.png', content: png(3), type: 'image/png' },
      { name: '交易记录.pdf', content: pdf(3), type: 'application/pdf' },
    ]).expect(201);
    const accepted = await send(t, officer, main, { type: 'TRIAGE_ACCEPT' });
    await send(t, officer, accepted, {
      type: 'REQUEST_INFO',
      question: '请提供银行卡尾号和扣款短信截图。',
    });
    for (const [category, currency, jurisdiction] of [
      ['refund_not_received', 'GBP', 'GB'],
      ['payment_failed', 'USD', 'US'],
      ['incorrect_charge', 'EUR', 'DE'],
    ] as const) {
      await fileCase(t, complainant, {
        category,
        currency,
        jurisdiction,
        occurredAt: day(5),
        respondent: { name: 'WalletCo', kind: 'platform' },
      });
    }
    await t.http.get('/api/v1/exports/cases?format=ndjson').set(compliance.auth).expect(200);
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const shots: Shot[] = [
    {
      name: 'sign-in',
      user: () => complainant,
      device: 'phone',
      path: () => '/sign-in',
      ready: (l) => (l === 'en' ? 'Sign in to Redress' : '登录 Redress'),
    },
    {
      name: 'my-cases',
      user: () => complainant,
      device: 'phone',
      path: () => '/cases',
      ready: () => /RD-\d{4}-\d{6}/,
    },
    {
      name: 'filing',
      user: () => complainant,
      device: 'phone',
      path: () => '/file/category',
      ready: (l) => (l === 'en' ? 'What went wrong?' : '遇到了什么问题？'),
    },
    {
      name: 'case',
      user: () => complainant,
      device: 'phone',
      path: () => `/cases/${caseId}`,
      ready: () => '请提供银行卡尾号',
    },
    {
      name: 'queue',
      user: () => officer,
      device: 'desktop',
      path: () => '/queue',
      ready: () => /RD-\d{4}-\d{6}/,
    },
    {
      name: 'workspace',
      user: () => officer,
      device: 'desktop',
      path: () => `/cases/${caseId}`,
      ready: () => '请提供银行卡尾号',
    },
    {
      name: 'exports',
      user: () => compliance,
      device: 'desktop',
      path: () => '/exports',
      ready: () => /[0-9a-f]{64}/,
    },
    {
      name: 'verify',
      user: () => compliance,
      device: 'desktop',
      path: () => '/verify',
      ready: (l) => (l === 'en' ? 'Export file' : '导出文件'),
    },
    {
      name: 'users',
      user: () => admin,
      device: 'desktop',
      path: () => '/users',
      ready: () => 'Officer Chen',
    },
  ];

  for (const lang of LANGUAGES) {
    for (const shot of shots) {
      it(`${shot.name} (${shot.device}, ${lang})`, async () => {
        const { page, close } = await browser.open({
          baseUrl: t.server.url,
          viewport: shot.device === 'phone' ? PHONE : DESKTOP,
          locale: lang,
        });
        try {
          await page.addInitScript(`localStorage.setItem('redress.language', '${lang}')`);
          if (shot.name !== 'sign-in') await signIn(page, shot.user());
          await page.goto(shot.path());
          await page.getByText(shot.ready(lang)).first().waitFor();
          await page.waitForLoadState('networkidle');
          await page.screenshot({
            path: join(OUT, `${shot.name}-${shot.device}-${lang}.png`),
            fullPage: shot.device === 'phone',
            // CSS pixels: phones render at 2× and the pictures need not.
            scale: 'css',
          });
        } finally {
          await close();
        }
      });
    }
  }
});
