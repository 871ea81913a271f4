import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { canonicalJson } from '../../../server/canonical-json.ts';
import { GENESIS_HASH, sealEntry, type TimelineEntry } from '../../../server/cases/timeline.ts';
import { verifyCaseLine, verifyExport } from '../../../server/exports/verify.ts';

function chain(types: string[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let prev = GENESIS_HASH;
  types.forEach((type, index) => {
    const entry = sealEntry(prev, {
      seq: index + 1,
      at: `2026-11-0${index + 1}T09:00:00.000Z`,
      type,
      actor: { id: 'u1', role: 'officer' },
      fromState: index === 0 ? null : 'filed',
      toState: 'filed',
      data: { note: `step ${index + 1}` },
    });
    entries.push(entry);
    prev = entry.hash;
  });
  return entries;
}

function line(id: string, reference: string, timeline: TimelineEntry[], lastHash?: string) {
  return JSON.stringify({
    id,
    reference,
    lastHash: lastHash ?? timeline.at(-1)?.hash,
    timeline,
  });
}

const ID_A = '65f0000000000000000000aa';
const ID_B = '65f0000000000000000000bb';

describe('verifying an NDJSON export offline', () => {
  it('accepts a case whose chain and last hash match', () => {
    const result = verifyCaseLine(line(ID_A, 'RD-2026-000001', chain(['FILED', 'ASSIGN'])), 1);
    expect(result.failure).to.equal(null);
    expect(result.entries).to.equal(2);
  });

  it('names the case and the first altered entry', () => {
    const entries = chain(['FILED', 'ASSIGN', 'TRIAGE_ACCEPT']);
    entries[1] = { ...entries[1]!, data: { note: 'step 2, rewritten' } };
    const { failure } = verifyCaseLine(line(ID_A, 'RD-2026-000007', entries), 12);
    expect(failure).to.include({
      line: 12,
      id: ID_A,
      reference: 'RD-2026-000007',
      seq: 2,
      entryType: 'ASSIGN',
      code: 'content',
    });
    expect(failure!.problem).to.match(/does not match its hash/);
  });

  it('notices entries cut off the end of a chain through the case last hash', () => {
    const entries = chain(['FILED', 'ASSIGN', 'TRIAGE_ACCEPT']);
    const { failure } = verifyCaseLine(
      line(ID_A, 'RD-2026-000001', entries.slice(0, 2), entries[2]!.hash),
      3,
    );
    expect(failure?.problem).to.match(/missing from the end/);
    expect(failure?.code).to.equal('truncated');
  });

  it('still names the case on a line that is no longer JSON', () => {
    const text = line(ID_A, 'RD-2026-000009', chain(['FILED'])).replace(
      '"timeline":[',
      '"timeline":[,',
    );
    const { failure } = verifyCaseLine(text, 4);
    expect(failure).to.include({ reference: 'RD-2026-000009', id: ID_A, seq: null, code: 'json' });
    expect(failure!.problem).to.match(/not valid JSON/);
  });

  it('refuses an empty timeline, which would verify trivially', () => {
    const { failure } = verifyCaseLine(line(ID_A, 'RD-2026-000001', [], GENESIS_HASH), 1);
    expect(failure?.problem).to.match(/empty timeline/);
  });

  it('reads a whole file in chunks that split lines, and reports a case twice over', async () => {
    const text = [
      line(ID_A, 'RD-2026-000001', chain(['FILED'])),
      line(ID_B, 'RD-2026-000002', chain(['FILED', 'ASSIGN'])),
      line(ID_A, 'RD-2026-000001', chain(['FILED'])),
      '',
    ].join('\n');
    const bytes = Buffer.from(text);
    const chunks = [bytes.subarray(0, 17), bytes.subarray(17, 301), bytes.subarray(301)];
    const report = await verifyExport(chunks);
    expect(report).to.include({ cases: 3, verified: 2, entries: 4, bytes: bytes.length });
    expect(report.failures).to.have.length(1);
    expect(report.failures[0]).to.include({ line: 3, reference: 'RD-2026-000001' });
    expect(report.failures[0]!.problem).to.match(/more than once/);
    expect(report.failures[0]!.code).to.equal('duplicate');
  });

  it('hashes exactly as node:crypto does, non-ASCII text included', async () => {
    const entries = chain(['FILED', 'ASSIGN']);
    const withText = sealEntry(entries[1]!.hash, {
      ...entries[1]!,
      seq: 3,
      type: 'ADD_NOTE',
      data: { note: '我们将退还全部款项 — café 🙂' },
    });
    for (const entry of [...entries, withText]) {
      const { seq, at, type, actor, fromState, toState, data } = entry;
      const expected = createHash('sha256')
        .update(entry.prevHash + canonicalJson({ seq, at, type, actor, fromState, toState, data }))
        .digest('hex');
      expect(entry.hash).to.equal(expected);
    }
    const text = `${line(ID_A, 'RD-2026-000001', [...entries, withText])}\n`;
    const bytes = new TextEncoder().encode(text);
    // Split inside a multi-byte character, as a browser's file stream may.
    const cut = bytes.indexOf(0xe6) + 1;
    const report = await verifyExport([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(report).to.include({ cases: 1, verified: 1, bytes: bytes.length });
    expect(report.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
  });

  it('accepts string chunks and reports progress per chunk', async () => {
    const text = `${line(ID_A, 'RD-2026-000001', chain(['FILED']))}\n`;
    const seen: number[] = [];
    const report = await verifyExport([text.slice(0, 10), text.slice(10)], (p) =>
      seen.push(p.bytes),
    );
    expect(report.verified).to.equal(1);
    expect(seen).to.deep.equal([10, text.length]);
  });

  it('imports no node: module, so the web app can bundle it', () => {
    for (const file of ['exports/verify.ts', 'cases/timeline.ts', 'canonical-json.ts']) {
      const source = readFileSync(new URL(`../../../server/${file}`, import.meta.url), 'utf8');
      expect(source, file).not.to.match(/from '(node:|[a-z_]+:)/);
      expect(source, file).not.to.match(/\bBuffer\b/);
    }
  });
});
