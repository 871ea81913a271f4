import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import {
  ensureFerretdbBinary,
  pingMongo,
  startEmbeddedDatabase,
  startFerretdb,
} from '../../../server/db/embedded-ferretdb.ts';

/** Live processes whose command line matches; PostgreSQL's postmaster runs as `postgres -D <dir>/pg`. */
function pidsMatching(pattern: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' })
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

describe('the embedded FerretDB on PostgreSQL', () => {
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
      // A CLI next to the server reaches the same PostgreSQL (the import refreshes statistics).
      expect(second.postgresqlUrl).to.equal(first.postgresqlUrl);
      const client = new pg.Client({ connectionString: second.postgresqlUrl });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).to.deep.equal([{ one: 1 }]);
      await client.end();
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
    expect(pidsMatching(`^\\S*postgres -D ${dir}/pg`)).to.have.length(1);
    expect(await pingMongo(uri)).to.equal(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while (
      (pidsMatching(`^\\S*postgres -D ${dir}/pg`).length > 0 || (await pingMongo(uri, 300))) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pidsMatching(`^\\S*postgres -D ${dir}/pg`)).to.deep.equal([]);
    expect(await pingMongo(uri, 500)).to.equal(false);
    // The cluster was not damaged: it starts again on the same files.
    const again = await startEmbeddedDatabase({ dataDir: dir, port: 0 });
    await again.stop();
  });

  it('copies a data directory of the SQLite version over once and keeps the old folder', async function () {
    this.timeout(60_000);
    const binary = await ensureFerretdbBinary();
    mkdirSync(join(dir, 'db'), { recursive: true });
    const legacy = await startFerretdb(
      binary,
      ['--handler=sqlite', `--sqlite-url=file:${dir}/db/`],
      0,
    );
    const before = new MongoClient(legacy.uri);
    await before.connect();
    const cases = Array.from({ length: 1200 }, (_, i) => ({ reference: `RD-2026-${i}`, n: i }));
    await before.db('redress').collection('cases').insertMany(cases);
    await before.db('redress').collection('users').insertOne({ email: 'a@example.com' });
    await before.close();
    await legacy.process.stop();

    const db = await startEmbeddedDatabase({ dataDir: dir, port: 0 });
    try {
      const after = new MongoClient(db.uri);
      await after.connect();
      expect(await after.db('redress').collection('cases').countDocuments()).to.equal(1200);
      expect(
        await after
          .db('redress')
          .collection('users')
          .findOne({}, { projection: { _id: 0 } }),
      ).to.deep.equal({ email: 'a@example.com' });
      await after.close();
    } finally {
      await db.stop();
    }
    expect(existsSync(join(dir, 'db'))).to.equal(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('db.sqlite-migrated-'))).to.have.length(1);

    // Started again, nothing is copied twice.
    const again = await startEmbeddedDatabase({ dataDir: dir, port: 0 });
    const client = new MongoClient(again.uri);
    await client.connect();
    expect(await client.db('redress').collection('cases').countDocuments()).to.equal(1200);
    await client.close();
    await again.stop();
  });
});
