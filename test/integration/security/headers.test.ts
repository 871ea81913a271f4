import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { expect } from 'chai';
import { fileCase } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// ASVS 14.4.1–14.4.7 (security headers, CSP), 8.2.1 (no caching of API data), 14.5.3 (no
// CORS for other origins), 12.3.1 / 12.3.2 (no path from the request reaches the file system).

const SECRET = 'outside-the-build-and-never-served';

/**
 * A GET with the path sent exactly as written: a URL parser (node's, or a client library's)
 * would resolve `..` and `%2e%2e` segments before the server ever saw them.
 */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security: headers, CSP and paths (ASVS V14, V12)', () => {
  let t: TestServer;
  let root: string;
  let complainant: TestUser;

  before(async () => {
    // The build sits in a folder next to a file that must never be reachable through it.
    root = mkdtempSync(join(tmpdir(), 'redress-web-'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(root, 'secret.txt'), SECRET);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><meta content="__CSP_NONCE__">');
    writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
    t = await startTestServer({ WEB_DIST_DIR: dist });
    complainant = await createUser(t, 'complainant');
  });
  after(async () => {
    await t.stop();
    rmSync(root, { recursive: true, force: true });
  });

  function expectBaseline(headers: Record<string, unknown>, what: string) {
    expect(headers['x-content-type-options'], what).to.equal('nosniff');
    expect(headers['x-frame-options'], what).to.equal('SAMEORIGIN');
    expect(headers['strict-transport-security'], what).to.match(/max-age=\d{7,}/);
    expect(headers['referrer-policy'], what).to.equal('no-referrer');
    expect(headers['cross-origin-opener-policy'], what).to.equal('same-origin');
    expect(headers['cross-origin-resource-policy'], what).to.equal('same-origin');
    expect(headers['x-powered-by'], what).to.equal(undefined);
    const csp = headers['content-security-policy'] as string;
    expect(csp, what).to.include("default-src 'self'").and.include("object-src 'none'");
    expect(csp, what).to.match(/frame-ancestors '(none|self)'/);
    expect(csp, what).not.to.match(/script-src[^;]*'unsafe-(inline|eval)'/);
  }

  it('sends the baseline headers and a CSP on API answers, errors and web pages alike', async () => {
    const filed = await fileCase(t, complainant);
    const answers = {
      'API read': await t.http.get(`/api/v1/cases/${filed.id}`).set(complainant.auth),
      'API 401': await t.http.get('/api/v1/me'),
      'API 404': await t.http.get('/api/v1/nothing-here'),
      'API 400': await t.http.get('/api/v1/cases/not-an-id').set(complainant.auth),
      'web page': await t.http.get('/cases/123'),
      'web asset': await t.http.get('/assets/app-1.js'),
      health: await t.http.get('/healthz'),
    };
    for (const [what, res] of Object.entries(answers)) expectBaseline(res.headers, what);
    expect(answers['web page'].headers['content-security-policy']).to.include(
      "frame-ancestors 'none'",
    );
  });

  it('marks every API answer no-store, so a shared or back-button cache keeps no case data', async () => {
    const filed = await fileCase(t, complainant);
    for (const path of [
      `/api/v1/cases/${filed.id}`,
      `/api/v1/cases/${filed.id}/timeline`,
      '/api/v1/cases',
      '/api/v1/me',
    ]) {
      const res = await t.http.get(path).set(complainant.auth).expect(200);
      expect(res.headers['cache-control'], path).to.match(/no-store/);
    }
  });

  it('grants no other origin a CORS read of the API', async () => {
    const preflight = await t.http
      .options('/api/v1/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.headers['access-control-allow-origin']).to.equal(undefined);
    const read = await t.http
      .get('/api/v1/me')
      .set(complainant.auth)
      .set('Origin', 'https://evil.example');
    expect(read.headers['access-control-allow-origin']).to.equal(undefined);
    expect(read.headers['access-control-allow-credentials']).to.equal(undefined);
  });

  const traversals = [
    '/assets/../../secret.txt',
    '/assets/../../../package.json',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/%252e%252e/%252e%252e/secret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/assets/..\\..\\secret.txt',
    '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt',
    '/assets/....//....//secret.txt',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/app-1.js%00../../secret.txt',
    '/assets/',
  ];
  for (const path of traversals) {
    it(`never serves a file outside the build for ${path}`, async () => {
      const res = await rawGet(t.server.url, path);
      const body = res.body;
      expect(body, `${res.status}`).not.to.contain(SECRET);
      expect(body).not.to.contain('"name": "redress"');
      expect(res.status, body.slice(0, 200)).to.be.oneOf([200, 400, 403, 404]);
      // A 200 can only be the page (index.html), which the client-side router then 404s.
      if (res.status === 200) expect(body).to.match(/^<!doctype html>/);
      else expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    });
  }

  it('takes no path from the request for evidence: its ids are validated, storage keys are hashes', async () => {
    const filed = await fileCase(t, complainant);
    for (const id of ['..%2F..%2Fpackage.json', '%2e%2e', '..', 'a'.repeat(36)]) {
      const res = await rawGet(
        t.server.url,
        `/api/v1/cases/${filed.id}/evidence/${id}`,
        complainant.auth,
      );
      expect(res.status, `${id}: ${res.body}`).to.be.oneOf([400, 404]);
      expect(res.body).not.to.contain('"name": "redress"');
    }
  });
});
