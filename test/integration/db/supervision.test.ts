import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import supertest from 'supertest';
import { loadConfig } from '../../../server/config.ts';
import {
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from '../../../server/db/embedded-ferretdb.ts';
import { start, type RunningServer } from '../../../server/main.ts';

/** Polls until `ready` holds; fails the test after `ms`. */
async function eventually(what: string, ready: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the embedded database is supervised: a killed FerretDB or PostgreSQL comes back by itself', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  let server: RunningServer;
  let http: ReturnType<typeof supertest>;
  let auth: Record<string, string>;
  const logged: string[] = [];

  before(async function () {
    this.timeout(120_000);
    dir = mkdtempSync(join(tmpdir(), 'redress-supervision-'));
    // A restart delay longer than the driver's server selection (5 s, whose retry of a read
    // would otherwise simply wait for the restart), so the outage is seen from outside; full
    // durability, so what survives a crash is what PostgreSQL's WAL replay brings back.
    db = await startEmbeddedDatabase({
      dataDir: join(dir, 'db'),
      port: 0,
      restartDelayMs: 7_000,
      log: (message) => logged.push(message),
    });
    server = await start({
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: `${db.uri}/supervised`,
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
      }),
    });
    http = supertest(server.url);
    await server.services.users.createUser({
      email: 'supervised@example.com',
      password: 'a-long-enough-passphrase',
      name: 'Supervised',
      role: 'complainant',
      locale: 'en',
    });
    const login = await http
      .post('/api/v1/auth/login')
      .send({ email: 'supervised@example.com', password: 'a-long-enough-passphrase' })
      .expect(200);
    auth = { Authorization: `Bearer ${login.body.token as string}` };
  });
  after(async () => {
    await server?.stop();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const victim of ['postgres', 'ferretdb'] as const) {
    it(`answers 503 while ${victim} is away, starts it again with a log line, and keeps the data`, async function () {
      this.timeout(120_000);
      const supervised = db.processes![victim]!;
      const before = supervised.restarts();
      const pid = supervised.current().programPid();
      expect(pid, `${victim} pid`).to.be.a('number');
      process.kill(pid!, 'SIGKILL');
      // PostgreSQL's backends notice their postmaster's death a moment after it, and a query
      // that reaches one first is still answered (CI saw a 200 here once); every request from
      // the moment the outage shows until the restart (7 s later) must be a 503.
      await eventually(
        `${victim} seen down`,
        async () => (await http.get('/readyz')).status === 503,
        5_000,
      );

      const started = Date.now();
      const down = await http.get('/api/v1/me').set(auth);
      expect(down.status).to.equal(503);
      expect(down.headers['content-type']).to.match(/problem\+json/);
      // Bounded: the driver's server selection (5 s) at worst, never a hang.
      expect(Date.now() - started).to.be.below(8_000);

      await eventually(`${victim} restart`, async () => (await http.get('/readyz')).status === 200);
      // The supervisor notices a little after the database answers again.
      await eventually('the restart count', async () => supervised.restarts() === before + 1);
      expect(supervised.current().programPid()).to.not.equal(pid);
      const me = await http.get('/api/v1/me').set(auth).expect(200);
      expect(me.body.email).to.equal('supervised@example.com');
      const name = victim === 'postgres' ? 'PostgreSQL' : 'FerretDB';
      expect(logged.some((line) => line.startsWith(`${name} exited`))).to.equal(true);
      expect(logged.some((line) => line.startsWith(`${name} is running again`))).to.equal(true);
    });
  }
});
