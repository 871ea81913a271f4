import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

describe('the web app as the server serves it', () => {
  let t: TestServer;
  let dist: string;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'redress-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><meta name="csp-nonce" content="__CSP_NONCE__"><script type="module" src="/assets/app-abc123.js"></script>',
    );
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log("app")');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestServer({ WEB_DIST_DIR: dist });
  });
  after(async () => {
    await t.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html for app paths, never cached, with a fresh nonce under a strict CSP', async () => {
    const first = await t.http.get('/cases/123').expect(200);
    const second = await t.http.get('/').expect(200);
    expect(first.headers['content-type']).to.match(/text\/html/);
    expect(first.headers['cache-control']).to.equal('no-cache');
    const csp = first.headers['content-security-policy'] as string;
    expect(csp).to.include("default-src 'self'").and.include("script-src 'self'");
    expect(csp).not.to.include('unsafe-inline');
    expect(csp).to.include("frame-ancestors 'none'");
    const nonceOf = (html: string) => /content="([^"]+)"/.exec(html)![1]!;
    expect(nonceOf(first.text)).not.to.equal('__CSP_NONCE__');
    expect(csp).to.include(`'nonce-${nonceOf(first.text)}'`);
    expect(nonceOf(second.text)).not.to.equal(nonceOf(first.text));
  });

  it('caches hashed assets for a year as immutable, and 404s a missing one instead of sending the page', async () => {
    const asset = await t.http.get('/assets/app-abc123.js').expect(200);
    expect(asset.headers['cache-control'])
      .to.match(/max-age=31536000/)
      .and.match(/immutable/);
    await t.http.get('/assets/missing-000.js').expect(404);
  });

  it('leaves the server’s own paths to the server', async () => {
    const api = await t.http.get('/api/v1/no-such-thing').expect(404);
    expect(api.headers['content-type']).to.match(/application\/problem\+json/);
    await t.http.get('/openapi.json').expect(200).expect('Content-Type', /json/);
    await t.http.get('/healthz').expect(200);
    const metrics = await t.http.get('/metrics');
    expect(metrics.headers['content-type'] ?? '').not.to.match(/text\/html/);
  });

  it('serves other files from the build, such as the icon', async () => {
    await t.http.get('/favicon.svg').expect(200).expect('Content-Type', /svg/);
  });

  it('says plainly when the web app has not been built', async () => {
    const bare = await startTestServer({ WEB_DIST_DIR: join(dist, 'nowhere') });
    try {
      const res = await bare.http.get('/').expect(503);
      expect(res.text).to.match(/npm run web:build/);
    } finally {
      await bare.stop();
    }
  });
});
