import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { testDatabaseUri } from '../../helpers/database.ts';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'dist', 'server', 'main.js');

/**
 * The production build as a host runs it: plain node on dist/ (npm test compiles it first, as
 * `npm run build` does), no tsx loader, NODE_ENV=production.
 */
describe('the compiled server (dist/)', function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;
  let dir: string;

  before(function () {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'redress-compiled-'));
  });
  after(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts under NODE_ENV=production with plain node, answers /readyz, the API document and the web app', async () => {
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: testDatabaseUri(`redress_compiled_${process.pid}`),
        DATA_DIR: join(dir, 'data'),
        UPLOAD_DIR: join(dir, 'uploads'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 45 s:\n${output}`)), 45_000);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ready at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child!.stdout!.on('data', read);
      child!.stderr!.on('data', read);
      child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    expect(output).not.to.match(/tsx|ERR_/);
    expect((await fetch(`${url}/readyz`)).status).to.equal(200);
    const openapi = await fetch(`${url}/openapi.json`);
    expect(((await openapi.json()) as { openapi: string }).openapi).to.equal('3.1.0');
    const page = await fetch(`${url}/cases`);
    expect(page.headers.get('content-security-policy')).to.include("script-src 'self'");
  });
});
