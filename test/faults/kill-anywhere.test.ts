import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../server/db/child-process.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { allPages, checkAcknowledged, checkCounts, checkEmails, orphanedFiles } from './checks.ts';
import { createService, type Service } from './service.ts';
import { call, newTally, step, type AckedCase, type Actor } from './workload.ts';

// Kills of each kind: FAULT_KILLS overrides (the issue asks for at least 20 in one run).
const KILLS = Number(process.env.FAULT_KILLS ?? 20);
const KINDS = ['redress', 'ferretdb', 'postgres'] as const;
const GC_GRACE_MS = 3_000;
const PASSWORD = 'fault-run-passphrase-7431';

describe(`kill anywhere: ${KILLS} SIGKILLs each of Redress, FerretDB and PostgreSQL under a mixed workload`, () => {
  let dir: string;
  let smtp: TestSmtpServer;
  let service: Service;
  let databaseUrl: string;
  let failed = false;
  let admin: Actor;
  let officer: Actor;
  let compliance: Actor;
  const complainants: Actor[] = [];
  const acked = new Map<string, AckedCase>();
  const tally = newTally();

  async function signIn(email: string): Promise<Actor> {
    const res = await call(service.url, undefined, 'POST', '/api/v1/auth/login', tally, {
      email,
      password: PASSWORD,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const user = res.body.user as { id: string; role: Actor['role'] };
    return { id: user.id, role: user.role, token: String(res.body.token) };
  }

  async function account(role: Actor['role'], email: string): Promise<Actor> {
    const res = await call(service.url, admin, 'POST', '/api/v1/users', tally, {
      email,
      password: PASSWORD,
      name: email.split('@')[0],
      role,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return signIn(email);
  }

  before(async function () {
    this.timeout(180_000);
    dir = mkdtempSync(join(tmpdir(), 'redress-faults-'));
    smtp = await startSmtpServer();
    const dbPort = await freePort();
    databaseUrl = `mongodb://127.0.0.1:${dbPort}/?directConnection=true`;
    service = createService(
      {
        HOST: '127.0.0.1',
        DATA_DIR: join(dir, 'data'),
        UPLOAD_DIR: join(dir, 'uploads'),
        OUTBOX_DIR: join(dir, 'outbox'),
        SMTP_URL: smtp.url,
        ADMIN_EMAIL: 'admin@faults.example',
        ADMIN_PASSWORD: PASSWORD,
        LOG_LEVEL: 'warn',
        MAIL_DISPATCH_INTERVAL_MS: '300',
        // Short leases and retries, so a send cut by a kill is taken up again within the run.
        SMTP_TIMEOUT_MS: '1000',
        MAIL_LEASE_MS: '4000',
        MAIL_RETRY_BASE_MS: '500',
        MAIL_RETRY_MAX_MS: '3000',
        SWEEP_INTERVAL_MS: '1000',
        EVIDENCE_GC_GRACE_MS: String(GC_GRACE_MS),
        TOKEN_TTL_HOURS: '24',
      },
      await freePort(),
      dbPort,
    );
    await service.start();
    admin = await signIn('admin@faults.example');
    officer = await account('officer', 'officer@faults.example');
    compliance = await account('compliance', 'compliance@faults.example');
    for (let i = 0; i < 3; i++)
      complainants.push(await account('complainant', `c${i}@faults.example`));
  });

  after(async function () {
    this.timeout(60_000);
    await service?.stop();
    await smtp?.stop();
    // A failed run's data stays, to be read: its path is in the failure message.
    if (!failed) rmSync(dir, { recursive: true, force: true });
    else console.log(`      the failed run's data directory: ${dir}`);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  it('loses nothing acknowledged, keeps every chain, file, email and count, and answers 503 while the database is away', async function () {
    this.timeout(KILLS * 3 * 30_000 + 300_000);
    let n = 0;
    const kills: Record<string, number> = { redress: 0, ferretdb: 0, postgres: 0 };
    let exports = 0;
    for (let round = 0; round < KILLS * KINDS.length; round++) {
      const kind = KINDS[round % KINDS.length]!;
      const checkedBefore = new Set(acked.keys());
      let running = true;
      // Four clients at once, until the kill lands and a little after it.
      const clients = Array.from({ length: 4 }, async () => {
        while (running) await step(service.url, { complainants, officer }, acked, tally, n++);
      });
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1_200));
      if (kind === 'redress') await service.killService();
      else service.killDatabase(kind);
      kills[kind]!++;
      await new Promise((r) => setTimeout(r, 300));
      running = false;
      await Promise.all(clients);
      if (kind === 'redress') await service.start();
      else await waitReady(service.url);
      // What this round touched, then (every tenth round) an export of everything.
      const touched = [...acked.values()].filter(
        (c) => !checkedBefore.has(c.id) || c.entries.size > 1,
      );
      await checkAcknowledged(service.url, officer, touched.slice(-40));
      if (round % 10 === 9) {
        const res = await fetch(`${service.url}/api/v1/exports/cases?format=ndjson`, {
          headers: { Authorization: `Bearer ${compliance.token}` },
        });
        if (res.status === 200) {
          const lines = (await res.text()).trim().split('\n').filter(Boolean);
          expect(lines.length).to.be.at.least(checkedBefore.size);
          exports++;
        }
      }
    }
    expect(kills).to.deep.equal({ redress: KILLS, ferretdb: KILLS, postgres: KILLS });
    // The server's own log lines of each failed request, for the failure message.
    const ids = tally.failures.map((f) => /"requestId":"([^"]+)"/.exec(f)?.[1]).filter(Boolean);
    const errors = service
      .log()
      .split('\n')
      .filter((line) => ids.some((id) => line.includes(id!)) && line.includes('"err"'))
      .map((line) => line.slice(0, 3000))
      .slice(0, 3);
    expect(
      tally.failures,
      `bare 5xx answers; the service logged:\n${errors.join('\n')}`,
    ).to.deep.equal([]);
    // While the database was away, answers came as 503 within a bounded time, never a hang.
    expect(tally.slowestMs, 'slowest answer').to.be.below(15_000);

    await checkAcknowledged(service.url, officer, acked.values());
    await checkCounts(service.url, officer, databaseUrl);
    const emails = await checkEmails(service.url, officer, smtp);
    await new Promise((r) => setTimeout(r, GC_GRACE_MS + 3_000));
    const referenced = new Set<string>();
    for (const item of await allPages(service.url, officer, '/api/v1/cases?q=RD-2026')) {
      const list = await call(
        service.url,
        officer,
        'GET',
        `/api/v1/cases/${String(item.id)}/evidence`,
        newTally(),
      );
      for (const evidence of list.body.items as { sha256: string }[])
        referenced.add(evidence.sha256);
    }
    expect(orphanedFiles(join(dir, 'uploads'), referenced, GC_GRACE_MS + 2_000)).to.deep.equal([]);
    console.log(
      `      fault run: ${JSON.stringify({ kills, cases: acked.size, ...emails, exports, ...tally, failures: tally.failures.length })}`,
    );
  });
});

async function waitReady(base: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3_000) });
      if (res.status === 200) return;
    } catch {
      // restarting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready again within ${timeoutMs} ms`);
}
