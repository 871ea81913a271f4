// The export benchmark: NDJSON export over HTTP against a raw driver cursor scan of the same
// collection, with the peak RSS of this process (the caller runs the server in-process, so
// the server's memory is ours). Called by scripts/bench/index.ts; not a test.
import { request } from 'node:http';
import { Types, type Connection } from 'mongoose';
import { GENESIS_HASH, sealEntry, type TimelineEntry } from '../../server/cases/timeline.ts';

export interface ExportBenchOptions {
  connection: Connection;
  baseUrl: string;
  complianceToken: string;
  cases: number;
}

export interface ExportBenchResult {
  cases: number;
  casesPerS: number;
  rawPerS: number;
  ratio: number;
  peakRssMb: number;
}

const SEED_BATCH = 1_000;
// A year no real filing uses, so seeded references never collide with filed ones.
const SEED_YEAR = 2000;
const log = (message: string) => console.error(`bench: export: ${message}`);

const NARRATIVES = [
  '我的账户在我不知情的情况下被扣款 1299 元，客服一直没有回复。',
  'I was charged twice for the same order and the refund never arrived in my wallet.',
  'Payment failed at checkout but the money left my balance; the merchant says it never arrived.',
  '退款金额与订单金额不符，少退了 35.50 元。',
];

/** A filed, triaged and answered case, shaped as the cases module stores it. */
function benchCase(index: number, ownerId: Types.ObjectId, officerId: Types.ObjectId) {
  const filedAt = new Date(Date.UTC(2026, 0, 1) + index * 60_000);
  const cn = index % 2 === 0;
  const amount = { amountMinor: 1_000 + (index % 500_000), currency: cn ? 'CNY' : 'USD' };
  const reference = `RD-${SEED_YEAR}-${String(index + 1).padStart(6, '0')}`;
  const at = (minutes: number) => new Date(filedAt.getTime() + minutes * 60_000).toISOString();
  const steps: Omit<TimelineEntry, 'prevHash' | 'hash'>[] = [
    {
      seq: 1,
      at: at(0),
      type: 'FILED',
      actor: { id: ownerId.toHexString(), role: 'complainant' },
      fromState: null,
      toState: 'filed',
      data: {
        reference,
        category: 'incorrect_charge',
        jurisdiction: cn ? 'CN' : 'US',
        channel: 'web',
        amount,
      },
    },
    {
      seq: 2,
      at: at(30),
      type: 'TRIAGE_ACCEPT',
      actor: { id: officerId.toHexString(), role: 'officer' },
      fromState: 'filed',
      toState: 'platformReview.investigating',
      data: {},
    },
    {
      seq: 3,
      at: at(600),
      type: 'ISSUE_RESPONSE',
      actor: { id: officerId.toHexString(), role: 'officer' },
      fromState: 'platformReview.investigating',
      toState: 'responseIssued.awaitingReply',
      data: {
        outcome: 'upheld',
        remedy: 'full refund',
        message: 'We will refund the full amount.',
      },
    },
  ];
  const timeline: TimelineEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (const step of steps) {
    const entry = sealEntry(prevHash, step);
    timeline.push(entry);
    prevHash = entry.hash;
  }
  return {
    _id: new Types.ObjectId(),
    reference,
    machineVersion: 1,
    state: 'responseIssued.awaitingReply',
    stateValue: { responseIssued: 'awaitingReply' },
    context: {
      jurisdiction: cn ? 'CN' : 'US',
      category: 'incorrect_charge',
      urgent: false,
      filedAt: at(0),
      assigneeId: officerId.toHexString(),
      consumerBody: cn ? '12315' : 'CFPB',
      holdingResponse: false,
      responseOutcome: 'upheld',
      responseRejected: false,
      finalResponseMissed: false,
      bodyReference: null,
      bodyDecision: null,
      legalOutcome: null,
      terminalAt: null,
      reopenCount: 0,
    },
    version: 3,
    ownerId,
    filedById: ownerId,
    assigneeId: officerId,
    category: 'incorrect_charge',
    urgent: false,
    jurisdiction: cn ? 'CN' : 'US',
    locale: cn ? 'zh-CN' : 'en',
    channel: 'web',
    respondent: { name: cn ? '某某支付' : 'Example Pay Inc.', kind: 'platform' },
    transaction: { occurredAt: filedAt, reference: `TX${index}`, amount },
    narrative: NARRATIVES[index % NARRATIVES.length]!,
    desiredOutcome: cn ? '退还全部款项' : 'A full refund',
    consumerBody: cn ? '12315' : 'CFPB',
    deadlines: [
      { kind: 'acknowledge', startedAt: at(0), dueAt: at(1440), status: 'met', settledAt: at(30) },
      {
        kind: 'finalResponse',
        startedAt: at(30),
        dueAt: at(30 + 15 * 1440),
        status: 'met',
        settledAt: at(600),
      },
    ],
    nextDueAt: null,
    overdue: false,
    evidenceCount: 0,
    timeline,
    lastHash: prevHash,
    filedAt,
    updatedAt: new Date(at(600)),
  };
}

/** Inserts `count` cases in batches, straight into the collection (the export only reads). */
export async function seedCases(connection: Connection, count: number): Promise<void> {
  const cases = connection.db!.collection('cases');
  const ownerId = new Types.ObjectId();
  const officerId = new Types.ObjectId();
  const started = performance.now();
  for (let from = 0; from < count; from += SEED_BATCH) {
    const docs = [];
    for (let i = from; i < Math.min(count, from + SEED_BATCH); i++) {
      docs.push(benchCase(i, ownerId, officerId));
    }
    await cases.insertMany(docs, { ordered: false });
    if ((from / SEED_BATCH) % 10 === 9) log(`seeded ${from + docs.length} of ${count}`);
  }
  log(`seeded ${count} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Samples this process's RSS until stopped; returns the peak in MB. */
function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return Math.round(peak / 1_048_576);
    },
  };
}

/** Streams the NDJSON export and counts lines as they arrive; nothing is kept. */
function consumeExport(baseUrl: string, token: string): Promise<{ lines: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/api/v1/exports/cases?format=ndjson`,
      { headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`export answered ${res.statusCode}`));
          res.resume();
          return;
        }
        let lines = 0;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        });
        res.on('end', () => resolve({ lines, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function rawScan(connection: Connection): Promise<number> {
  let count = 0;
  for await (const _doc of connection.db!.collection('cases').find({}).batchSize(100)) count++;
  return count;
}

/**
 * Seeds `cases` cases, then measures the NDJSON export over HTTP (consumed as a stream) and a
 * raw driver cursor scan of the same collection, and the peak RSS while exporting.
 */
export async function runExportBench(opts: ExportBenchOptions): Promise<ExportBenchResult> {
  await seedCases(opts.connection, opts.cases);
  global.gc?.();

  // The raw scan runs before and after the export and the faster run counts, so neither side
  // gains from a page cache the other warmed (the baseline gets its best case).
  const timedScan = async () => {
    const began = performance.now();
    const count = await rawScan(opts.connection);
    return { count, seconds: (performance.now() - began) / 1000 };
  };
  const before = await timedScan();
  log(`raw cursor scan: ${before.count} cases in ${before.seconds.toFixed(1)} s`);

  const rssBeforeMb = Math.round(process.memoryUsage.rss() / 1_048_576);
  const rss = sampleRss();
  const started = performance.now();
  const { lines, bytes } = await consumeExport(opts.baseUrl, opts.complianceToken);
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = rss.stop();
  log(
    `HTTP NDJSON export: ${lines} cases, ${(bytes / 1_048_576).toFixed(0)} MB in ${seconds.toFixed(1)} s, peak RSS ${peakRssMb} MB (${rssBeforeMb} MB before it started)`,
  );
  const after = await timedScan();
  log(`raw cursor scan again: ${after.count} cases in ${after.seconds.toFixed(1)} s`);
  const raw = before.seconds <= after.seconds ? before : after;

  const casesPerS = Math.round(lines / seconds);
  const rawPerS = Math.round(raw.count / raw.seconds);
  return {
    cases: lines,
    casesPerS,
    rawPerS,
    ratio: Math.round((casesPerS / rawPerS) * 100) / 100,
    peakRssMb,
  };
}
