// The mixed load of issue 13: `npm run bench -- load [--cases N] [--working-set W]
// [--connections C] [--seconds S]`. N cases (imported, plus W filed through HTTP) on the
// embedded database, then C workers for S seconds, each with one request in flight, drawing
// 70 % reads, 20 % changes and 10 % filings (each followed by an evidence upload). Afterwards
// every case the run filed or changed is read back to find acknowledged changes that are gone.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ImportService } from '../../server/imports/service.ts';
import { benchComplaint } from './complaint.ts';
import { analyseDatabase, cpuTicks, seedImported } from './scale.ts';

export type Account = { id: string; token: string };

export interface LoadOptions {
  baseUrl: string;
  imports: Pick<ImportService, 'importCfpb'>;
  officers: Account[];
  complainants: Account[];
  cases: number;
  workingSet: number;
  connections: number;
  seconds: number;
  postgresqlUrl?: string | undefined;
  /** The server's own process, to tell its CPU from the database's (both are children). */
  serverPid: number;
  log: (message: string) => void;
}

export type OpFigures = { count: number; p50: number; p95: number; p99: number };

const QUEUES = ['triage', 'mine', 'unassigned', 'overdue', 'urgent', 'awaiting_complainant'];
/** Kinds where a 409 `conflict` means another writer got there first: a refusal, not an error. */
const CHANGES = new Set(['event', 'note']);

/**
 * The events the load sends, with a payload their rules accept and a weight among those the
 * case's state takes. ESCALATE and the holding response are left out: their rules depend on
 * facts and clocks, and their refusal (422) would be this client's mistake.
 */
const MOVES: Record<string, { weight: number; payload: (run: Run) => object }> = {
  TRIAGE_ACCEPT: { weight: 6, payload: () => ({}) },
  TRIAGE_REJECT: { weight: 1, payload: () => ({ reason: 'Not a wallet payment (bench)' }) },
  ASSIGN: { weight: 2, payload: (run) => ({ officerId: pick(run.opts.officers).id }) },
  REQUEST_INFO: { weight: 3, payload: () => ({ question: 'Which card was charged? (bench)' }) },
  PROVIDE_INFO: { weight: 6, payload: () => ({ answer: 'The one ending in 4242 (bench)' }) },
  REFER_TO_BANK: { weight: 2, payload: () => ({ note: 'Asked the issuer (bench)' }) },
  BANK_RESPONDED: { weight: 6, payload: () => ({ note: 'The issuer confirmed (bench)' }) },
  ISSUE_RESPONSE: { weight: 3, payload: () => ({ outcome: 'upheld', message: 'Refunded' }) },
  ACCEPT_RESPONSE: { weight: 3, payload: () => ({}) },
  REJECT_RESPONSE: { weight: 3, payload: () => ({ reason: 'Too little (bench)' }) },
  CLOSE: { weight: 4, payload: () => ({ reason: 'Answered (bench)' }) },
  WITHDRAW: { weight: 1, payload: () => ({ reason: 'Settled privately (bench)' }) },
  REOPEN: { weight: 6, payload: () => ({ reason: 'New facts (bench)' }) },
  UPDATE_DETAILS: { weight: 1, payload: () => ({ respondent: { address: '1 Bench Road' } }) },
};

/** A case the workers change, as last seen; `version` undefined: unknown until refreshed. */
interface Live {
  id: string;
  owner: number;
  version: number | undefined;
  state: string;
}

type Body = Record<string, unknown>;
type Allowed = (state: string, role: string) => string[];

type Run = ReturnType<typeof newRun>;

function newRun(opts: LoadOptions, allowed: Allowed) {
  return {
    opts,
    allowed,
    live: [] as Live[],
    byId: new Map<string, Live>(),
    /** Ids for case views and timelines: the live cases and what queue pages showed. */
    readable: [] as string[],
    /** Per case, every change the server acknowledged: the version it answered and the type. */
    acks: new Map<string, { version: number; type: string }[]>(),
    samples: new Map<string, number[]>(),
    requests: 0,
    errors: 0,
    conflicts: 0,
    filings: 0,
    errorsByStatus: {} as Record<string, number>,
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const officer = (run: Run) => pick(run.opts.officers).token;
const complainant = (run: Run) => pick(run.opts.complainants).token;
const round = (n: number) => Math.round(n * 10) / 10;

function weighted<T>(items: readonly T[], weight: (item: T) => number): T {
  let left = Math.random() * items.reduce((sum, item) => sum + weight(item), 0);
  for (const item of items) if ((left -= weight(item)) < 0) return item;
  return items.at(-1)!;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * One request (a POST when `body` is given), timed when it succeeds. Returns the parsed body
 * on 2xx, 'conflict' for a lost version race on a change, and undefined for anything else,
 * which is an error: counted, and the first few printed with their status and body.
 */
async function call(
  run: Run,
  kind: string,
  token: string,
  path: string,
  body?: object,
): Promise<Body | 'conflict' | undefined> {
  const started = performance.now();
  let status = 0;
  let text = '';
  run.requests++;
  try {
    const form = body instanceof FormData;
    const res = await fetch(`${run.opts.baseUrl}${path}`, {
      ...(body ? { method: 'POST', body: form ? body : JSON.stringify(body) } : {}),
      headers: {
        authorization: `Bearer ${token}`,
        ...(body && !form ? { 'content-type': 'application/json' } : {}),
      },
    });
    status = res.status;
    text = await res.text();
  } catch (error) {
    text = String(error);
  }
  if (status >= 200 && status < 300) {
    const samples = run.samples.get(kind) ?? [];
    run.samples.set(kind, samples);
    samples.push(performance.now() - started);
    return JSON.parse(text) as Body;
  }
  if (status === 409 && CHANGES.has(kind) && text.includes('"type":"/problems/conflict"')) {
    run.conflicts++;
    return 'conflict';
  }
  run.errors++;
  run.errorsByStatus[status] = (run.errorsByStatus[status] ?? 0) + 1;
  if (run.errors <= 10) {
    run.opts.log(
      `ERROR ${kind}: ${body ? 'POST' : 'GET'} ${path} → ${status} ${text.slice(0, 400)}`,
    );
  }
  return undefined;
}

const ok = (reply: Body | 'conflict' | undefined): reply is Body =>
  reply !== undefined && reply !== 'conflict';

function acknowledge(run: Run, id: string, version: number, type: string): void {
  const acks = run.acks.get(id) ?? [];
  run.acks.set(id, acks);
  acks.push({ version, type });
}

/** What a response says the case was at `version`; an answer older than the one known is ignored. */
function learn(live: Live | undefined, version: number, state: string): void {
  if (!live || (live.version !== undefined && live.version >= version)) return;
  live.version = version;
  live.state = state;
}

async function refresh(run: Run, live: Live): Promise<void> {
  const view = await call(run, 'refresh', officer(run), `/api/v1/cases/${live.id}`);
  if (ok(view)) learn(live, Number(view.version), String(view.state));
}

/**
 * One workflow event the case's state takes, from the role that may send it, on the version
 * last seen; a lost race (409) refreshes the case for whichever worker picks it next.
 */
async function sendEvent(run: Run): Promise<void> {
  const live = pick(run.live);
  if (live.version === undefined) return refresh(run, live);
  const candidates = (['officer', 'complainant'] as const).flatMap((role) =>
    run
      .allowed(live.state, role)
      .filter((type) => type in MOVES)
      .map((type) => ({ type, role })),
  );
  if (!candidates.length) throw new Error(`no event to send in state ${live.state}`);
  const { type, role } = weighted(candidates, (c) => MOVES[c.type]!.weight);
  const token = role === 'officer' ? officer(run) : run.opts.complainants[live.owner]!.token;
  const event = { type, ...MOVES[type]!.payload(run), expectedVersion: live.version };
  const reply = await call(run, 'event', token, `/api/v1/cases/${live.id}/events`, event);
  if (reply === 'conflict') return refresh(run, live);
  if (!ok(reply)) return;
  acknowledge(run, live.id, Number(reply.version), type);
  learn(live, Number(reply.version), String(reply.state));
}

async function addNote(run: Run): Promise<void> {
  const live = pick(run.live);
  const text = `Called the complainant back (bench ${run.requests})`;
  const entry = await call(run, 'note', officer(run), `/api/v1/cases/${live.id}/notes`, { text });
  if (!ok(entry)) return;
  // A NOTE entry's number is the version it made, and its toState the state at that version.
  acknowledge(run, live.id, Number(entry.seq), 'NOTE');
  learn(live, Number(entry.seq), String(entry.toState));
}

/** 3–6 KB sniffed as PDF, different every time so that each upload stores new content. */
function evidenceForm(n: number): FormData {
  const bytes = randomBytes(3 * 1024 + Math.floor(Math.random() * 3 * 1024));
  Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1').copy(bytes);
  const form = new FormData();
  form.append('kind', 'bank_statement');
  form.append('files', new Blob([bytes], { type: 'application/pdf' }), `statement-${n}.pdf`);
  return form;
}

/**
 * A complainant files and attaches a statement. The case joins the changing set only after
 * the upload, so no other worker can close it first (a closed case refuses evidence).
 */
async function fileWithEvidence(run: Run, kinds = ['filing', 'evidence']) {
  const owner = Math.floor(Math.random() * run.opts.complainants.length);
  const token = run.opts.complainants[owner]!.token;
  const n = run.filings++;
  const complaint = benchComplaint(n);
  const transaction = { ...(complaint.transaction as object), reference: `LOAD-TX-${n}` };
  const view = await call(run, kinds[0]!, token, '/api/v1/cases', { ...complaint, transaction });
  if (!ok(view)) return undefined;
  const live: Live = { id: String(view.id), owner, version: undefined, state: String(view.state) };
  acknowledge(run, live.id, 1, 'FILED');
  const path = `/api/v1/cases/${live.id}/evidence`;
  const uploaded = await call(run, kinds[1]!, token, path, evidenceForm(n));
  if (ok(uploaded)) {
    acknowledge(run, live.id, Number(uploaded.version), 'EVIDENCE_ADDED');
    live.version = Number(uploaded.version);
  }
  run.live.push(live);
  run.byId.set(live.id, live);
  run.readable.push(live.id);
  return live;
}

async function readQueue(run: Run, kind: string, sort: 'due' | 'filed'): Promise<void> {
  const path = `/api/v1/cases?queue=${pick(QUEUES)}&sort=${sort}&limit=20`;
  const page = await call(run, kind, officer(run), path);
  if (!ok(page)) return;
  // What officers see is what they open next; the pool stays bounded.
  for (const item of page.items as { id: string }[]) {
    if (run.readable.length < 5_000) run.readable.push(item.id);
    else run.readable[Math.floor(Math.random() * run.readable.length)] = item.id;
  }
}

async function readCase(run: Run, kind: string, suffix: string): Promise<void> {
  const id = pick(run.readable);
  const view = await call(run, kind, officer(run), `/api/v1/cases/${id}${suffix}`);
  if (ok(view) && !suffix) learn(run.byId.get(id), Number(view.version), String(view.state));
}

/** What each worker draws, by weight; `filing` is a filing and its upload, timed apart. */
const MIX: readonly (readonly [string, number, (run: Run) => Promise<unknown>])[] = [
  ['queue, time left', 20, (run) => readQueue(run, 'queue, time left', 'due')],
  ['queue, newest', 15, (run) => readQueue(run, 'queue, newest', 'filed')],
  ['case view', 15, (run) => readCase(run, 'case view', '')],
  ['timeline', 10, (run) => readCase(run, 'timeline', '/timeline')],
  ['my cases', 10, (run) => call(run, 'my cases', complainant(run), '/api/v1/cases?limit=20')],
  ['event', 16, sendEvent],
  ['note', 4, addNote],
  ['filing', 10, (run) => fileWithEvidence(run)],
];

/** The working set, filed before the clock starts: a third triaged, a third also assigned. */
async function fileWorkingSet(run: Run): Promise<void> {
  let next = 0;
  const { id: officerId, token } = run.opts.officers[0]!;
  const one = async (i: number) => {
    const live = await fileWithEvidence(run, ['setup', 'setup']);
    if (!live || i % 3 === 0) return;
    for (const type of i % 3 === 1 ? ['TRIAGE_ACCEPT'] : ['TRIAGE_ACCEPT', 'ASSIGN']) {
      const event = { type, ...(type === 'ASSIGN' ? { officerId } : {}) };
      const path = `/api/v1/cases/${live.id}/events`;
      const view = await call(run, 'setup', token, path, {
        ...event,
        expectedVersion: live.version,
      });
      if (!ok(view)) throw new Error(`the working set's ${type} failed`);
      acknowledge(run, live.id, Number(view.version), type);
      learn(live, Number(view.version), String(view.state));
    }
  };
  const filer = async () => {
    while (next < run.opts.workingSet) await one(next++);
  };
  await Promise.all([filer(), filer(), filer(), filer()]);
}

/**
 * The events each state takes from each role, from the server's own workflow description:
 * what a case view's `allowedEvents` says, but for both roles at once (a view lists only the
 * caller's), so a worker never needs a view in the role about to act.
 */
async function allowedEvents(baseUrl: string): Promise<Allowed> {
  const res = await fetch(`${baseUrl}/api/v1/workflow`);
  const { events } = (await res.json()) as {
    events: { type: string; roles: string[]; acceptedIn: string[] }[];
  };
  return (state, role) =>
    events
      .filter((e) => e.roles.includes(role))
      .filter((e) => e.acceptedIn.some((p) => state === p || state.startsWith(`${p}.`)))
      .map((e) => e.type);
}

/**
 * Reads back every case the run filed or changed (as an officer, who sees notes too). A case
 * must exist, be at version 1 + its acknowledged changes (events, notes and evidence all
 * count: each is one sealed entry), have one timeline entry per version with a verified
 * chain, and hold each acknowledged change at the version the server answered with.
 */
async function checkAcknowledged(run: Run): Promise<string[]> {
  const problems: string[] = [];
  const read = async (path: string) => {
    const res = await fetch(`${run.opts.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${run.opts.officers[0]!.token}` },
    });
    return res.ok ? ((await res.json()) as Body) : undefined;
  };
  const checkOne = async (id: string, acks: { version: number; type: string }[]) => {
    const view = await read(`/api/v1/cases/${id}`);
    const timeline = await read(`/api/v1/cases/${id}/timeline`);
    if (!view || !timeline) return void problems.push(`${id}: acknowledged but not readable`);
    const entries = timeline.entries as { type: string }[];
    const version = Number(view.version);
    if (version !== acks.length) {
      problems.push(`${id}: at version ${version}, ${acks.length} acknowledged (filing included)`);
    }
    if (entries.length !== version)
      problems.push(`${id}: ${entries.length} entries at v${version}`);
    if (timeline.verified !== true) problems.push(`${id}: chain not verified`);
    for (const { version: at, type } of acks) {
      const stored = entries[at - 1]?.type;
      if (stored !== type) problems.push(`${id}: v${at} acknowledged ${type}, stored ${stored}`);
    }
  };
  const queue = [...run.acks];
  const checker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await checkOne(...next);
  };
  await Promise.all(Array.from({ length: 8 }, checker));
  return problems;
}

/** CPU ticks the whole machine spent busy (all cores), from /proc/stat. */
function machineBusyTicks(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

/** The timed part: `connections` workers drawing from MIX until `seconds` have passed. */
async function timedRun(run: Run) {
  const { connections, seconds } = run.opts;
  const serverPid = run.opts.serverPid;
  const before = {
    requests: run.requests,
    busy: machineBusyTicks(),
    own: cpuTicks(process.pid),
    server: cpuTicks(serverPid).self,
  };
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < started + seconds * 1000) {
      await weighted(MIX, ([, weight]) => weight)[2](run);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const own = cpuTicks(process.pid);
  const serverTicks = cpuTicks(serverPid).self - before.server;
  const clientTicks = own.self - before.own.self;
  const ownTicks = clientTicks + own.children - before.own.children;
  // What the rest of the machine used meanwhile (other work on the shared cores), in cores.
  const otherCores = round((machineBusyTicks() - before.busy - ownTicks) / 100 / elapsed);
  const cores = (ticks: number) => round(ticks / 100 / elapsed);
  return {
    elapsed,
    requests: run.requests - before.requests,
    ownCores: cores(ownTicks),
    serverCores: cores(serverTicks),
    clientCores: cores(clientTicks),
    databaseCores: cores(ownTicks - serverTicks - clientTicks),
    otherCores,
  };
}

function figures(run: Run): Record<string, OpFigures> {
  const ops: Record<string, OpFigures> = {};
  for (const kind of [...MIX.map(([kind]) => kind), 'evidence', 'refresh']) {
    const sorted = (run.samples.get(kind) ?? []).sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => round(percentile(sorted, p)));
    ops[kind] = { count: sorted.length, p50: p50!, p95: p95!, p99: p99! };
  }
  return ops;
}

export async function runLoadBench(opts: LoadOptions) {
  const { log } = opts;
  const run = newRun(opts, await allowedEvents(opts.baseUrl));
  const seedStarted = performance.now();
  await seedImported(opts.imports, 0, Math.max(0, opts.cases - opts.workingSet), log);
  log(`filing the working set of ${opts.workingSet} cases through HTTP`);
  await fileWorkingSet(run);
  await analyseDatabase(opts.postgresqlUrl);
  const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
  log(`seeded in ${seedSeconds} s; ${opts.connections} workers for ${opts.seconds} s`);
  const timed = await timedRun(run);
  log(`${timed.requests} requests in ${round(timed.elapsed)} s; checking ${run.acks.size} cases`);
  const problems = await checkAcknowledged(run);
  for (const problem of problems.slice(0, 20)) log(`LOST UPDATE ${problem}`);
  return {
    cases: opts.cases,
    workingSet: opts.workingSet,
    connections: opts.connections,
    seconds: opts.seconds,
    seedSeconds,
    requests: timed.requests,
    rps: round(timed.requests / timed.elapsed),
    errors: run.errors,
    errorsByStatus: run.errorsByStatus,
    conflicts: run.conflicts,
    acknowledgedChanges: [...run.acks.values()].reduce((sum, acks) => sum + acks.length, 0),
    checkedCases: run.acks.size,
    lostUpdates: problems.length,
    cpu: {
      benchAndServerCores: timed.ownCores,
      serverCores: timed.serverCores,
      databaseCores: timed.databaseCores,
      clientCores: timed.clientCores,
      otherWorkCores: timed.otherCores,
    },
    ops: figures(run),
  };
}
export type LoadResult = Awaited<ReturnType<typeof runLoadBench>>;
