import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestUser } from './users.ts';

/** Debian's Chromium; `.ci/run` installs it. Playwright's own browser downloads do not work here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
// machine's closed network refuses many at a time.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (its own cookies and storage) with its page's console errors recorded. */
  open(options: {
    baseUrl: string;
    viewport?: { width: number; height: number };
    locale?: 'en' | 'zh-CN';
  }): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install chromium`);
  // Playwright gives every launch a fresh, empty --user-data-dir of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    browser,
    async open({ baseUrl, viewport = DESKTOP, locale = 'en' }) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport,
        locale,
        extraHTTPHeaders: { 'Accept-Language': locale === 'zh-CN' ? 'zh-CN,zh;q=0.9' : 'en' },
        ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      return { context, page, errors, close: () => context.close() };
    },
    async close() {
      await browser.close();
    },
  };
}

/** No serious or critical WCAG 2.x A/AA violation on the page as it is now. */
/** The little of the DOM the checks read, typed here because the tests compile without DOM types. */
interface BrowserDocument {
  document: { getAnimations(): { playState: string }[] };
}

export async function expectAccessible(page: Page, where: string): Promise<void> {
  // A dialog fading in has half its final contrast: judge the page once it has settled.
  // (A function, not a string: the page's CSP forbids eval, rightly.)
  await page.waitForFunction(() =>
    (globalThis as unknown as BrowserDocument).document
      .getAnimations()
      .every((animation) => animation.playState !== 'running'),
  );
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  const summary = serious.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
  expect(summary, `accessibility violations on ${where}`).to.deep.equal([]);
}

const SIGN_IN_WORDS = {
  en: { email: 'Email', password: 'Password', signIn: 'Sign in' },
  'zh-CN': { email: '电子邮箱', password: '密码', signIn: '登录' },
} as const;

/** Signs in through the page, in `lang`, and waits for the role's home (my cases or the queue). */
export async function signIn(page: Page, user: TestUser, lang: 'en' | 'zh-CN'): Promise<void> {
  const words = SIGN_IN_WORDS[lang];
  const home = user.role === 'complainant' ? '**/cases' : '**/queue';
  page.setDefaultTimeout(10_000);
  await page.goto('/sign-in');
  await page.getByLabel(words.email).fill(user.email);
  await page.getByLabel(words.password).fill(user.password);
  await page.getByRole('button', { name: words.signIn, exact: true }).click();
  await page.waitForURL(home);
}
