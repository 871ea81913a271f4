// The views users wait on, at 1,000 cases and at N (default 100,000) in one run, and the idle
// CPU at N: `npm run bench -- scale [--cases N]`.
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { RunningServer } from '../../server/main.ts';
import { createImportService, type ImportService } from '../../server/imports/service.ts';
import { systemClock } from '../../server/clock.ts';
import pg from 'pg';
import { benchComplaint } from './complaint.ts';
import { cfpbSamplePath } from '../cfpb-sample.ts';

export interface ViewFigures {
  p50: number;
  p95: number;
}

export interface ScaleResult {
  cases: number;
  small: number;
  filed: number;
  views: Record<string, { small: ViewFigures; large: ViewFigures; ratio: number }>;
  idle: { seconds: number; redressPercentOfCore: number; databasePercentOfCore: number };
  seedSeconds: number;
}

/**
 * Timed rounds per view. Each round asks every view once in turn, so a burst of background
 * work (autovacuum, a sweep) lands on all views alike instead of on whichever ran then; 40
 * rounds make the p95 the 39th of 40 samples rather than the single slowest one.
 */
const REPEATS = 40;
/**
 * Complaints filed through HTTP on both databases: the team's current work, the heads of the
 * queues. The same at 1,000 and at N, so the ratio measures the history stored (imported
 * cases), not a working set that grows with it.
 */
const FILED = 300;

/** Rows of the CFPB sample, repeated under new complaint ids up to `count`. */
export function sampleRows(from: number, count: number): string {
  const rows = parse(readFileSync(cfpbSamplePath()), { columns: true }) as Record<string, string>[];
  const header = Object.keys(rows[0]!);
  const out: string[][] = [];
  for (let i = from; i < from + count; i++) {
    const row = { ...rows[i % rows.length]! };
    row['Complaint ID'] = String(900_000_000 + i);
    out.push(header.map((column) => row[column] ?? ''));
  }
  return stringify([header, ...out]);
}

/**
 * Imports `count` sample rows from row `from` on through the CFPB import service, in runs of
 * 20,000 (one CSV each), so imported cases carry the sample's mix of states and companies.
 */
export async function seedImported(
  imports: Pick<ImportService, 'importCfpb'>,
  from: number,
  count: number,
  log: (message: string) => void,
): Promise<void> {
  for (let at = from; at < from + count; at += 20_000) {
    const n = Math.min(20_000, from + count - at);
    const summary = await imports.importCfpb([sampleRows(at, n)]);
    log(`seeded ${at + n} imported cases (${summary.imported} new, ${summary.skipped} skipped)`);
  }
}

/** Runs `sql` on FerretDB's PostgreSQL (nothing on a MongoDB). */
async function onDatabase(postgresqlUrl: string | undefined, sql: string): Promise<void> {
  if (!postgresqlUrl) return;
  const client = new pg.Client({ connectionString: postgresqlUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `ANALYZE` on FerretDB's PostgreSQL after seeding, as autovacuum would do in service. */
export const analyseDatabase = (postgresqlUrl: string | undefined) =>
  onDatabase(postgresqlUrl, 'ANALYZE');

/**
 * `VACUUM (ANALYZE)` before the idle window: seeding writes 100,000 cases in minutes, and
 * autovacuum's catch-up on them is a one-off a team that grew over months has long had done.
 */
const vacuumDatabase = (postgresqlUrl: string | undefined) =>
  onDatabase(postgresqlUrl, 'VACUUM (ANALYZE)');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** CPU ticks (utime + stime) of `pid` and all its descendants. */
export function cpuTicks(rootPid: number): { self: number; children: number } {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended meanwhile
    }
  }
  let children = 0;
  for (const [pid, tick] of ticks) {
    for (let p = parents.get(pid); p; p = parents.get(p)) {
      if (p === rootPid) {
        children += tick;
        break;
      }
    }
  }
  return { self: ticks.get(rootPid) ?? 0, children };
}

/** One database of the bench: a server on it and its two signed-in accounts. */
export interface ScaleDatabase {
  server: RunningServer;
  tokens: { officer: string; complainant: string };
  officerEmail: string;
  complainantEmail: string;
  password: string;
  /** FerretDB's PostgreSQL: analysed after seeding, as autovacuum would in service. */
  postgresqlUrl?: string | undefined;
  stop(): Promise<void>;
}

interface Session {
  url: string;
  officer: string;
  complainant: string;
}

async function call(session: Session, token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${session.url}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const body = await res.text();
  if (!res.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as Record<string, unknown>;
}

function figuresOf(samples: number[]): ViewFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
}

/** The views of issue 10 item 2 (and the web queue's time-left order), as the clients ask them. */
function viewsOf(db: ScaleDatabase, session: Session, newest: { id: string; reference: string }) {
  const { officer, complainant } = session;
  const list = (query: string) => () => call(session, officer, `/api/v1/cases?${query}`);
  const views: Record<string, () => Promise<unknown>> = {
    'queue: triage': list('queue=triage&limit=20'),
    'queue: mine': list('queue=mine&limit=20'),
    'queue: unassigned': list('queue=unassigned&limit=20'),
    'queue: overdue': list('queue=overdue&limit=20'),
    'queue: urgent': list('queue=urgent&limit=20'),
    'queue: awaiting complainant': list('queue=awaiting_complainant&limit=20'),
    'queue: awaiting bank': list('queue=awaiting_bank&limit=20'),
    'queue: escalated': list('queue=escalated&limit=20'),
    // What the officers' web queue asks by default: time left first (server/cases/due-order.ts).
    'queue: triage, time left': list('queue=triage&sort=due&limit=20'),
    'queue: mine, time left': list('queue=mine&sort=due&limit=20'),
    'queue: unassigned, time left': list('queue=unassigned&sort=due&limit=20'),
    'queue: urgent, time left': list('queue=urgent&sort=due&limit=20'),
    'queue counts': () => call(session, officer, '/api/v1/cases/counts'),
    'all cases, limit=20': list('limit=20'),
    'state=filed': list('state=filed&limit=20'),
    'state=closed, second page': async () => {
      const first = await call(session, officer, '/api/v1/cases?state=closed&limit=20');
      return call(
        session,
        officer,
        `/api/v1/cases?state=closed&limit=20&cursor=${String(first.nextCursor)}`,
      );
    },
    'q by reference': list(`q=${newest.reference}`),
    'q=RD-2026 (reference prefix)': list('q=RD-2026&limit=20'),
    'q by transaction reference': list('q=BENCH-TX-1'),
    'q by complainant email': list(`q=${encodeURIComponent(db.complainantEmail)}&limit=20`),
    'q free text (en)': list('q=unauthorized%20charge&limit=20'),
    'q free text (zh)': list(`q=${encodeURIComponent('扣款')}&limit=20`),
    "complainant's own cases": () => call(session, complainant, '/api/v1/cases?limit=20'),
    'one case': () => call(session, officer, `/api/v1/cases/${newest.id}`),
    timeline: () => call(session, officer, `/api/v1/cases/${newest.id}/timeline`),
    evidence: () => call(session, officer, `/api/v1/cases/${newest.id}/evidence`),
    'parked notifications': () => call(session, officer, '/api/v1/notifications?status=parked'),
    'sign-in': () =>
      call(session, '', '/api/v1/auth/login', {
        method: 'POST',
        body: JSON.stringify({ email: db.officerEmail, password: db.password }),
      }),
    'session check (/me)': () => call(session, officer, '/api/v1/me'),
  };
  return views;
}

/** Every view `REPEATS` times, round by round; then a transition and a filing as often. */
async function measureViews(
  db: ScaleDatabase,
  session: Session,
  newest: { id: string; reference: string },
) {
  const views = Object.entries(viewsOf(db, session, newest));
  const samples = new Map<string, number[]>(views.map(([name]) => [name, []]));
  for (const [, view] of views) await view();
  for (let round = 0; round < REPEATS; round++) {
    for (const [name, view] of views) {
      const started = performance.now();
      await view();
      samples.get(name)!.push(performance.now() - started);
    }
  }
  const figures: Record<string, ViewFigures> = {};
  for (const [name, taken] of samples) figures[name] = figuresOf(taken);
  // A transition: withdraw and reopen alternately, each through the version claim.
  const { officer, complainant } = session;
  let version = Number((await call(session, officer, `/api/v1/cases/${newest.id}`)).version);
  const transitions: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    const event =
      i % 2 === 0 ? { type: 'WITHDRAW', reason: 'bench' } : { type: 'REOPEN', reason: 'bench' };
    const after = await call(
      session,
      i % 2 === 0 ? complainant : officer,
      `/api/v1/cases/${newest.id}/events`,
      { method: 'POST', body: JSON.stringify({ ...event, expectedVersion: version }) },
    );
    version = Number(after.version);
    transitions.push(performance.now() - started);
  }
  figures.transition = figuresOf(transitions);
  const filings: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await call(session, complainant, '/api/v1/cases', {
      method: 'POST',
      body: JSON.stringify(benchComplaint(FILED + i)),
    });
    filings.push(performance.now() - started);
  }
  figures.filing = figuresOf(filings);
  return figures;
}

/** Today's complaints through HTTP: a third triaged and assigned to the bench officer. */
async function fileWorkingSet(session: Session, count: number) {
  const filed: { id: string; reference: string }[] = [];
  const me = await call(session, session.officer, '/api/v1/me');
  for (let i = 0; i < count; i++) {
    const complaint = benchComplaint(i);
    const view = await call(session, session.complainant, '/api/v1/cases', {
      method: 'POST',
      body: JSON.stringify({
        ...complaint,
        transaction: {
          ...(complaint.transaction as Record<string, unknown>),
          reference: `BENCH-TX-${i}`,
        },
      }),
    });
    filed.push({ id: String(view.id), reference: String(view.reference) });
    if (i % 3 !== 0) continue;
    const events = `/api/v1/cases/${String(view.id)}/events`;
    const accepted = await call(session, session.officer, events, {
      method: 'POST',
      body: JSON.stringify({ type: 'TRIAGE_ACCEPT' }),
    });
    await call(session, session.officer, events, {
      method: 'POST',
      body: JSON.stringify({
        type: 'ASSIGN',
        officerId: String(me.id),
        expectedVersion: accepted.version,
      }),
    });
  }
  return filed;
}

/**
 * Seeds one database to `cases` (imported sample rows, then the `FILED` complaints on top, so
 * they are the newest as today's work is), measures every view on it, and with `idle` the
 * CPU of the background loops afterwards.
 */
async function measureDatabase(
  db: ScaleDatabase,
  cases: number,
  idle: boolean,
  log: (message: string) => void,
) {
  const session: Session = { url: db.server.url, ...db.tokens };
  const imports = createImportService({
    connection: db.server.database.connection,
    users: db.server.services.users,
    clock: systemClock,
  });
  const seedStarted = performance.now();
  await seedImported(imports, 0, cases - FILED, log);
  const filed = await fileWorkingSet(session, FILED);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
  await analyseDatabase(db.postgresqlUrl);
  log(`measuring at ${cases} cases`);
  const figures = await measureViews(db, session, filed.at(-1)!);
  if (!idle) return { figures, seedSeconds, idle: undefined };
  log('vacuuming, settling for 60 s, then idle for 30 s with the background loops running');
  await vacuumDatabase(db.postgresqlUrl);
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  const hz = 100;
  const seconds = 30;
  const start = cpuTicks(process.pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = cpuTicks(process.pid);
  const percent = (ticks: number) => round((ticks / hz / seconds) * 100);
  return {
    figures,
    seedSeconds,
    idle: {
      seconds,
      redressPercentOfCore: percent(end.self - start.self),
      databasePercentOfCore: percent(end.children - start.children),
    },
  };
}

/**
 * The same views on two databases of the same shape, 1,000 and N cases, each with the same
 * `FILED` complaints of today on top of its imported history; the idle CPU at N.
 */
export async function runScaleBench(options: {
  open(name: 'small' | 'large'): Promise<ScaleDatabase>;
  cases: number;
  log: (message: string) => void;
}): Promise<ScaleResult> {
  const small = 1_000;
  const measureOn = async (name: 'small' | 'large', cases: number) => {
    const db = await options.open(name);
    try {
      return await measureDatabase(db, cases, name === 'large', options.log);
    } finally {
      await db.stop();
    }
  };
  const before = await measureOn('small', small);
  const after = await measureOn('large', options.cases);
  const views: ScaleResult['views'] = {};
  for (const [name, large] of Object.entries(after.figures)) {
    const at1000 = before.figures[name]!;
    views[name] = { small: at1000, large, ratio: round(large.p95 / Math.max(at1000.p95, 0.1)) };
  }
  return {
    cases: options.cases,
    small,
    filed: FILED,
    views,
    idle: after.idle!,
    seedSeconds: after.seedSeconds,
  };
}
