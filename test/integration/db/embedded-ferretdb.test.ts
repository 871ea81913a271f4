import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pingMongo, startEmbeddedDatabase } from '../../../server/db/embedded-ferretdb.ts';

function ferretdbPidsFor(dir: string): number[] {
  try {
    return execFileSync(
      'pgrep',
      ['-f', `^\\S*ferretdb --handler=sqlite --sqlite-url=file:${dir}`],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => {
        // A killed child may linger as a zombie when nothing reaps it; that is not running.
        const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
        return !state.trim().startsWith('Z');
      });
  } catch {
    return [];
  }
}

describe('the embedded FerretDB', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-embedded-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second FerretDB on the same data directory', async () => {
    const first = await startEmbeddedDatabase({ dataDir: dir, port: 0 });
    try {
      let error: unknown;
      await startEmbeddedDatabase({ dataDir: dir, port: 0 }).catch((e: unknown) => (error = e));
      expect(String(error)).to.contain('in use');
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedDatabase({ dataDir: dir, port: 0 });
    await again.stop();
  });

  it('reuses a FerretDB already serving the port instead of starting another', async () => {
    const first = await startEmbeddedDatabase({ dataDir: dir, port: 0 });
    try {
      const port = Number(new URL(first.uri).port);
      const second = await startEmbeddedDatabase({ dataDir: dir, port, reuseRunning: true });
      expect(second.owned).to.equal(false);
      await second.stop();
      expect(await pingMongo(first.uri)).to.equal(true);
    } finally {
      await first.stop();
    }
  });

  it('does not outlive a parent that is killed with SIGKILL', async function () {
    this.timeout(30_000);
    const script = `
      import { startEmbeddedDatabase } from './server/db/embedded-ferretdb.ts';
      const db = await startEmbeddedDatabase({ dataDir: ${JSON.stringify(dir)}, port: 0 });
      console.log(db.uri);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const uri = await new Promise<string>((resolve) =>
      parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
    );
    expect(await pingMongo(uri)).to.equal(true);
    expect(ferretdbPidsFor(dir)).to.have.length(1);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (ferretdbPidsFor(dir).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ferretdbPidsFor(dir)).to.deep.equal([]);
    expect(await pingMongo(uri, 500)).to.equal(false);
  });
});
