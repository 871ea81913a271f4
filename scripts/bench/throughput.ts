import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Types, type Connection } from 'mongoose';
import { benchComplaint } from './complaint.ts';

export interface ThroughputResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  rawRps: number;
  rawP50Ms: number;
  rawP99Ms: number;
  ratio: number;
  requests: number;
  errors: number;
}

interface Common {
  baseUrl: string;
  connection: Connection;
  seconds: number;
  connections: number;
  log: (message: string) => void;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `workers` loops calling `op` until `count` ops are done or `seconds` pass; the raw baseline. */
async function rawLoad(
  workers: number,
  limit: { seconds?: number; count?: number },
  op: (i: number) => Promise<unknown>,
) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = limit.seconds ? started + limit.seconds * 1000 : Infinity;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        if (limit.count !== undefined && i >= limit.count) return;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function summarise(
  http: autocannon.Result,
  raw: { rps: number; p50: number; p99: number },
  elapsedS: number,
): ThroughputResult {
  const ok = http['2xx'];
  const rps = ok / elapsedS;
  return {
    rps: round(rps),
    p50Ms: round(http.latency.p50),
    p99Ms: round(http.latency.p99),
    rawRps: round(raw.rps),
    rawP50Ms: round(raw.p50, 2),
    rawP99Ms: round(raw.p99, 2),
    ratio: round(rps / raw.rps, 2),
    requests: http.requests.total,
    errors: http.errors + http.non2xx,
  };
}

/** POST /cases through HTTP vs a driver insertOne of the same stored document shape. */
export async function runFilingBench(opts: Common & { token: string }): Promise<ThroughputResult> {
  opts.log(`filing: ${opts.seconds}s over HTTP with ${opts.connections} connections...`);
  const started = performance.now();
  const http = await autocannon({
    url: `${opts.baseUrl}/api/v1/cases`,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
    body: JSON.stringify(benchComplaint()),
  });
  const elapsed = (performance.now() - started) / 1000;
  const cases = opts.connection.collection('cases');
  const template = await cases.findOne({});
  if (!template) throw new Error('filing produced no case to copy');
  opts.log(`filing: ${opts.seconds}s of raw insertOne with ${opts.connections} workers...`);
  const raw = await rawLoad(opts.connections, { seconds: opts.seconds }, (i) =>
    cases.insertOne({ ...template, _id: new Types.ObjectId(), reference: `RAW-F-${i}` }),
  );
  return summarise(http, raw, elapsed);
}

/** TRIAGE_ACCEPT on distinct cases through HTTP vs a driver findOneAndUpdate of the same change. */
export async function runTransitionBench(
  opts: Common & { complainantToken: string; officerToken: string; count: number },
): Promise<ThroughputResult> {
  const cases = opts.connection.collection('cases');
  const filed = await fetch(`${opts.baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${opts.complainantToken}`,
    },
    body: JSON.stringify(benchComplaint(1)),
  });
  const template = await cases.findOne({
    _id: new Types.ObjectId(((await filed.json()) as { id: string }).id),
  });
  if (!template) throw new Error('could not file the template case');
  const count = opts.count;
  opts.log(`transitions: seeding 2 × ${count} filed cases...`);
  const seed = async (prefix: string) => {
    const ids: Types.ObjectId[] = [];
    for (let offset = 0; offset < count; offset += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - offset) }, (_, j) => {
        const _id = new Types.ObjectId();
        ids.push(_id);
        return { ...template, _id, reference: `${prefix}-${offset + j}` };
      });
      await cases.insertMany(batch, { ordered: false });
    }
    return ids;
  };
  const httpIds = await seed('HTTP-T');
  const rawIds = await seed('RAW-T');

  opts.log(`transitions: ${count} TRIAGE_ACCEPT over HTTP on distinct cases...`);
  let next = 0;
  const started = performance.now();
  const http = await autocannon({
    url: opts.baseUrl,
    connections: opts.connections,
    amount: count,
    requests: [
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${opts.officerToken}`,
        },
        body: JSON.stringify({ type: 'TRIAGE_ACCEPT' }),
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/cases/${httpIds[next++ % count]!.toHexString()}/events`,
        }),
      },
    ],
  });
  const elapsed = (performance.now() - started) / 1000;

  // The raw baseline writes what a transition writes, in one version-guarded update.
  const after = await cases.findOne({ _id: httpIds[0] });
  const entry = ((after?.timeline as Record<string, unknown>[] | undefined)?.at(-1) ?? {}) as never;
  opts.log(`transitions: ${count} raw findOneAndUpdate...`);
  const raw = await rawLoad(opts.connections, { count }, (i) =>
    cases.findOneAndUpdate(
      { _id: rawIds[i], version: 1 },
      {
        $set: {
          state: after?.state,
          stateValue: after?.stateValue,
          context: after?.context,
          deadlines: after?.deadlines,
          nextDueAt: after?.nextDueAt,
          lastHash: after?.lastHash,
          updatedAt: new Date(),
        },
        $inc: { version: 1 },
        $push: { timeline: entry },
      },
      { returnDocument: 'after' },
    ),
  );
  return summarise(http, raw, elapsed);
}
