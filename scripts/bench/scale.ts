// The views users wait on, at 1,000 cases and at N (default 100,000) in one run, and the idle
// CPU at N: `npm run bench -- scale [--cases N]`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { RunningServer } from '../../server/main.ts';
import { createImportService, type ImportService } from '../../server/imports/service.ts';
import { systemClock } from '../../server/clock.ts';
import pg from 'pg';
import { benchComplaint } from './complaint.ts';

export interface ViewFigures {
  p50: number;
  p95: number;
}

export interface ScaleResult {
  cases: number;
  small: number;
  views: Record<string, { small: ViewFigures; large: ViewFigures; ratio: number }>;
  idle: { seconds: number; redressPercentOfCore: number; databasePercentOfCore: number };
  seedSeconds: number;
}

const SAMPLE = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'data',
  'cfpb-complaints-sample.csv',
);
const REPEATS = 15;

/** Rows of the CFPB sample, repeated under new complaint ids up to `count`. */
export function sampleRows(from: number, count: number): string {
  const rows = parse(readFileSync(SAMPLE), { columns: true }) as Record<string, string>[];
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

/** `ANALYZE` on FerretDB's PostgreSQL after seeding, as autovacuum would do in service. */
export async function analyseDatabase(postgresqlUrl: string | undefined): Promise<void> {
  if (!postgresqlUrl) return;
  const client = new pg.Client({ connectionString: postgresqlUrl });
  await client.connect();
  await client.query('ANALYZE');
  await client.end();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(fn: () => Promise<unknown>): Promise<ViewFigures> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) };
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

interface Session {
  url: string;
  officer: string;
  complainant: string;
}

async function call(session: Session, token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${session.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  const body = await res.text();
  if (!res.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as Record<string, unknown>;
}

/** One measurement of every view; the case used for one-case views is the newest filed. */
async function measureViews(
  session: Session,
  caseId: string,
  reference: string,
  complainantEmail: string,
) {
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
    'q by reference': list(`q=${reference}`),
    'q=RD-2026 (reference prefix)': list('q=RD-2026&limit=20'),
    'q by transaction reference': list('q=BENCH-TX-1'),
    'q by complainant email': list(`q=${encodeURIComponent(complainantEmail)}&limit=20`),
    'q free text (en)': list('q=unauthorized%20charge&limit=20'),
    'q free text (zh)': list(`q=${encodeURIComponent('扣款')}&limit=20`),
    "complainant's own cases": () => call(session, complainant, '/api/v1/cases?limit=20'),
    'one case': () => call(session, officer, `/api/v1/cases/${caseId}`),
    timeline: () => call(session, officer, `/api/v1/cases/${caseId}/timeline`),
    evidence: () => call(session, officer, `/api/v1/cases/${caseId}/evidence`),
    'parked notifications': () => call(session, officer, '/api/v1/notifications?status=parked'),
    'session check (/me)': () => call(session, officer, '/api/v1/me'),
  };
  const figures: Record<string, ViewFigures> = {};
  for (const [name, fn] of Object.entries(views)) figures[name] = await time(fn);
  // A transition: withdraw and reopen alternately, each through the version claim.
  let version = Number((await call(session, officer, `/api/v1/cases/${caseId}`)).version);
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    const event =
      i % 2 === 0 ? { type: 'WITHDRAW', reason: 'bench' } : { type: 'REOPEN', reason: 'bench' };
    const token = i % 2 === 0 ? complainant : officer;
    const after = await call(session, token, `/api/v1/cases/${caseId}/events`, {
      method: 'POST',
      body: JSON.stringify({ ...event, expectedVersion: version }),
    });
    version = Number(after.version);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  figures.transition = { p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)) };
  const filing: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await call(session, complainant, '/api/v1/cases', {
      method: 'POST',
      body: JSON.stringify(benchComplaint(i)),
    });
    filing.push(performance.now() - started);
  }
  filing.sort((a, b) => a - b);
  figures.filing = { p50: round(percentile(filing, 50)), p95: round(percentile(filing, 95)) };
  return figures;
}

export async function runScaleBench(options: {
  server: RunningServer;
  tokens: { officer: string; complainant: string };
  complainantEmail: string;
  cases: number;
  /** FerretDB's PostgreSQL: analysed after seeding, as autovacuum would in service. */
  postgresqlUrl?: string | undefined;
  log: (message: string) => void;
}): Promise<ScaleResult> {
  const { server, log } = options;
  const session: Session = { url: server.url, ...options.tokens };
  const imports = createImportService({
    connection: server.database.connection,
    users: server.services.users,
    clock: systemClock,
  });
  const seedStarted = performance.now();
  const seed = (from: number, count: number) => seedImported(imports, from, count, log);
  // Cases of today's complainant, triaged and assigned to the bench officer: the queues' heads.
  const filed: { id: string; reference: string }[] = [];
  const fileSome = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const body = {
        ...benchComplaint(filed.length),
        transaction: {
          ...(benchComplaint(filed.length).transaction as Record<string, unknown>),
          reference: `BENCH-TX-${filed.length}`,
        },
      };
      const view = await call(session, session.complainant, '/api/v1/cases', {
        method: 'POST',
        body: JSON.stringify(body),
      });
      filed.push({ id: String(view.id), reference: String(view.reference) });
      if (i % 3 === 0) {
        const me = await call(session, session.officer, '/api/v1/me');
        const accepted = await call(
          session,
          session.officer,
          `/api/v1/cases/${String(view.id)}/events`,
          {
            method: 'POST',
            body: JSON.stringify({ type: 'TRIAGE_ACCEPT' }),
          },
        );
        await call(session, session.officer, `/api/v1/cases/${String(view.id)}/events`, {
          method: 'POST',
          body: JSON.stringify({
            type: 'ASSIGN',
            officerId: String(me.id),
            expectedVersion: accepted.version,
          }),
        });
      }
    }
  };
  const small = 1_000;
  await seed(0, small - 60);
  await fileSome(60);
  const newest = () => filed.at(-1)!;
  const analyse = () => analyseDatabase(options.postgresqlUrl);
  await analyse();
  log('measuring at 1,000 cases');
  const smallFigures = await measureViews(
    session,
    newest().id,
    newest().reference,
    options.complainantEmail,
  );
  await seed(small - 60, options.cases - small - 240);
  await fileSome(240);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
  await analyse();
  log(`measuring at ${options.cases} cases`);
  const largeFigures = await measureViews(
    session,
    newest().id,
    newest().reference,
    options.complainantEmail,
  );
  const views: ScaleResult['views'] = {};
  for (const [name, large] of Object.entries(largeFigures)) {
    const before = smallFigures[name]!;
    views[name] = { small: before, large, ratio: round(large.p95 / Math.max(before.p95, 0.1)) };
  }

  // Autovacuum works through what the seeding wrote for a while; idle is what comes after.
  log('settling for 60 s, then idle for 30 s with the background loops running');
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  const hz = 100;
  const seconds = 30;
  const start = cpuTicks(process.pid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const end = cpuTicks(process.pid);
  const percent = (ticks: number) => round((ticks / hz / seconds) * 100);
  return {
    cases: options.cases,
    small,
    views,
    idle: {
      seconds,
      redressPercentOfCore: percent(end.self - start.self),
      databasePercentOfCore: percent(end.children - start.children),
    },
    seedSeconds,
  };
}
