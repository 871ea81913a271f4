import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// ASVS 3.2.1 (a new token at sign-in), 3.3.1–3.3.4 (expiry, sign-out, revocation), 3.4.1–3.4.3
// (cookie flags), 4.2.2 / 13.2.3 (CSRF on cookie-borne requests).

const TTL_HOURS = 2;

function cookieLines(setCookie: string[] | string | undefined): Map<string, string> {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return new Map(list.map((line) => [line.split('=')[0]!, line]));
}
const valueOf = (line: string | undefined) => line!.split(';')[0]!.split('=').slice(1).join('=');

interface Browser {
  session: string;
  csrf: string;
  lines: Map<string, string>;
}

async function signInBrowser(t: TestServer, user: TestUser, headers: Record<string, string> = {}) {
  const res = await t.http
    .post('/api/v1/auth/session')
    .set(headers)
    .send({ email: user.email, password: user.password })
    .expect(200);
  const lines = cookieLines(res.headers['set-cookie']);
  return {
    session: valueOf(lines.get('redress_session') ?? lines.get('__Host-redress_session')),
    csrf: valueOf(lines.get('redress_csrf')),
    lines,
  } satisfies Browser;
}

const withCookie = (b: Browser) => ({ Cookie: `redress_session=${b.session}` });

describe('security: sessions, cookies and CSRF (ASVS V3)', () => {
  let t: TestServer;
  let user: TestUser;
  let admin: TestUser;

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: String(TTL_HOURS) });
  });
  after(() => t.stop());
  // New accounts for each test: the expiry test moves the clock past every earlier session.
  beforeEach(async () => {
    user = await createUser(t, 'officer');
    admin = await createUser(t, 'admin');
  });

  describe('cookie flags', () => {
    it('marks the session cookie HttpOnly, SameSite=Lax, Path=/, with Max-Age the session’s lifetime', async () => {
      const browser = await signInBrowser(t, user);
      const session = browser.lines.get('redress_session')!;
      expect(session)
        .to.match(/; HttpOnly/i)
        .and.match(/; SameSite=Lax/i)
        .and.match(/; Path=\//);
      expect(session).to.match(new RegExp(`Max-Age=${TTL_HOURS * 3600}\\b`));
      expect(session, 'no Domain: the cookie stays on this host').not.to.match(/Domain=/i);
      // The CSRF cookie is for the page's script to read; it is worth nothing without the session.
      const csrf = browser.lines.get('redress_csrf')!;
      expect(csrf).not.to.match(/HttpOnly/i);
      expect(csrf).to.match(/SameSite=Lax/i);
    });

    it('leaves Secure off over plain HTTP, and off for a forged X-Forwarded-Proto without TRUST_PROXY', async () => {
      const plain = await signInBrowser(t, user);
      expect(plain.lines.get('redress_session')).not.to.match(/Secure/i);
      const forged = await signInBrowser(t, user, { 'X-Forwarded-Proto': 'https' });
      expect(forged.lines.get('redress_session')).not.to.match(/Secure/i);
    });

    it('behind a TLS proxy (TRUST_PROXY), sets Secure and names the session cookie __Host-', async () => {
      const proxied = await startTestServer({ TRUST_PROXY: 'true' });
      try {
        const officer = await createUser(proxied, 'officer');
        const https = { 'X-Forwarded-Proto': 'https' };
        const browser = await signInBrowser(proxied, officer, https);
        const session = browser.lines.get('__Host-redress_session')!;
        expect(session)
          .to.match(/; Secure/i)
          .and.match(/; Path=\//)
          .and.match(/; HttpOnly/i);
        expect(session).not.to.match(/Domain=/i);
        expect(browser.lines.has('redress_session')).to.equal(false);
        expect(browser.lines.get('redress_csrf')).to.match(/; Secure/i);
        const secureCookie = { Cookie: `__Host-redress_session=${browser.session}` };
        await proxied.http.get('/api/v1/me').set(https).set(secureCookie).expect(200);
        // Over HTTPS an unprefixed cookie, which any subdomain could have planted, is not read.
        await proxied.http.get('/api/v1/me').set(https).set(withCookie(browser)).expect(401);
        // The page's own origin is https there: its writes pass the Origin check.
        const host = new URL(proxied.server.url).host;
        const out = await proxied.http
          .post('/api/v1/auth/logout')
          .set(secureCookie)
          .set({ ...https, Origin: `https://${host}` })
          .set('X-CSRF-Token', browser.csrf)
          .expect(204);
        expect(cookieLines(out.headers['set-cookie']).get('__Host-redress_session')).to.match(
          /Expires=Thu, 01 Jan 1970/,
        );
      } finally {
        await proxied.stop();
      }
    });

    it('never keeps a session token the browser brought: sign-in issues a new one', async () => {
      const planted = 'rdt_planted-by-someone-else-AAAAAAAAAAAAAAAAAAAAAAAA';
      const browser = await signInBrowser(t, user, { Cookie: `redress_session=${planted}` });
      expect(browser.session).to.match(/^rdt_/).and.not.equal(planted);
      await t.http.get('/api/v1/me').set('Cookie', `redress_session=${planted}`).expect(401);
    });
  });

  describe('expiry and revocation', () => {
    it('ends a cookie session at its expiry: the session reads as signed out and the API says expired', async () => {
      const browser = await signInBrowser(t, user);
      t.clock.advance(TTL_HOURS * 3_600_000 + 1_000);
      const current = await t.http.get('/api/v1/auth/session').set(withCookie(browser)).expect(200);
      expect(current.body).to.deep.equal({ user: null });
      const me = await t.http.get('/api/v1/me').set(withCookie(browser));
      expect(me.status).to.equal(401);
      expect(me.body.detail).to.contain('expired');
    });

    it('revokes a session on sign-out, and only that one', async () => {
      const first = await signInBrowser(t, user);
      const second = await signInBrowser(t, user);
      await t.http
        .post('/api/v1/auth/logout')
        .set(withCookie(first))
        .set('X-CSRF-Token', first.csrf)
        .expect(204);
      await t.http.get('/api/v1/me').set(withCookie(first)).expect(401);
      await t.http.get('/api/v1/me').set(withCookie(second)).expect(200);
    });

    for (const [what, change] of [
      ['disabled', { disabled: true }],
      ['given another role', { role: 'compliance' }],
    ] as const) {
      it(`revokes every session, bearer and cookie, of an account ${what}`, async () => {
        const browser = await signInBrowser(t, user);
        await t.http.patch(`/api/v1/users/${user.id}`).set(admin.auth).send(change).expect(200);
        await t.http.get('/api/v1/me').set(user.auth).expect(401);
        await t.http.get('/api/v1/me').set(withCookie(browser)).expect(401);
        const current = await t.http.get('/api/v1/auth/session').set(withCookie(browser));
        expect(current.body.user).to.equal(null);
      });
    }
  });

  describe('CSRF on requests that ride on the cookie', () => {
    const write = (b: Browser, headers: Record<string, string>) =>
      t.http.post('/api/v1/cases').set(withCookie(b)).set(headers).send({ anything: true });

    const refusals: [string, (b: Browser, other: Browser) => Record<string, string>][] = [
      ['no token', () => ({})],
      ['a wrong token', () => ({ 'X-CSRF-Token': 'x'.repeat(43) })],
      ['the token of another session', (_b, other) => ({ 'X-CSRF-Token': other.csrf })],
      ['the session token itself as the CSRF token', (b) => ({ 'X-CSRF-Token': b.session })],
      ['Origin: null', (b) => ({ 'X-CSRF-Token': b.csrf, Origin: 'null' })],
      ['a foreign Origin', (b) => ({ 'X-CSRF-Token': b.csrf, Origin: 'https://evil.example' })],
      [
        'this host under https when it serves http',
        (b) => ({ 'X-CSRF-Token': b.csrf, Origin: `https://${new URL(t.server.url).host}` }),
      ],
    ];
    for (const [what, headers] of refusals) {
      it(`refuses ${what} with 403 before reading the body`, async () => {
        const browser = await signInBrowser(t, user);
        const other = await signInBrowser(t, user);
        const res = await write(browser, headers(browser, other));
        expect(res.status).to.equal(403);
        expect(res.body.detail).to.contain('CSRF');
      });
    }

    it('passes the right token from this origin on to the endpoint (here: its body check, 400)', async () => {
      const browser = await signInBrowser(t, user);
      const res = await write(browser, {
        'X-CSRF-Token': browser.csrf,
        Origin: new URL(t.server.url).origin,
      });
      expect(res.status).to.equal(400);
    });

    it('leaves bearer requests alone, whatever Origin or cookie they carry', async () => {
      const browser = await signInBrowser(t, user);
      const res = await t.http
        .post('/api/v1/auth/logout')
        .set(user.auth)
        .set(withCookie(browser))
        .set('Origin', 'https://evil.example');
      expect(res.status).to.equal(204);
    });

    it('refuses a cross-site form post to sign-in or registration (415), setting no cookie', async () => {
      for (const path of ['/api/v1/auth/session', '/api/v1/auth/register']) {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
          const res = await t.http
            .post(path)
            .set('Origin', 'https://evil.example')
            .set('Content-Type', type)
            .send(JSON.stringify({ email: user.email, password: user.password, name: 'X' }));
          expect(res.status, `${path} ${type}`).to.equal(415);
          expect(res.headers['set-cookie']).to.equal(undefined);
        }
      }
    });
  });
});
