import { expect } from 'chai';
import { Types } from 'mongoose';
import { DEFAULT_POLICY } from '../../../workflows/index.ts';
import type { CaseRecord } from '../../../server/cases/model.ts';
import {
  createBatchWriter,
  STALE_CLAIM_MS,
  type ImportClaim,
  type ImportResult,
  type ImportStore,
} from '../../../server/imports/batch-writer.ts';
import { mapCfpbRow } from '../../../server/imports/cfpb.ts';
import { buildImportedCase } from '../../../server/imports/imported-case.ts';
import { emptySummary, type PendingRow } from '../../../server/imports/summary.ts';
import { ManualClock } from '../../../server/clock.ts';
import { cfpbRow } from './fixtures.ts';

// Claiming, taking over and writing a batch against a fake store and a fake repository.
const clock = new ManualClock('2026-11-02T09:00:00Z');
const ownerId = new Types.ObjectId();

function pending(id: string, line: number): PendingRow {
  const mapped = mapCfpbRow(cfpbRow({ 'Complaint ID': id }));
  if (!mapped.ok) throw new Error(mapped.problems.join('; '));
  return { line, endLine: line, value: mapped.value };
}

/** Claims, results and cases in memory; `collide` names references the repository refuses. */
function world(collide: string[] = []) {
  const claims = new Map<string, ImportClaim>();
  const results = new Map<string, ImportResult>();
  const cases = new Map<string, CaseRecord>();
  const discarded: string[] = [];
  const store: ImportStore = {
    async claim(added) {
      const refused = new Set<number>();
      added.forEach((claim, index) =>
        claims.has(claim._id) ? refused.add(index) : claims.set(claim._id, claim),
      );
      return refused;
    },
    finished: async (ids) => new Set(ids.filter((id) => results.has(id))),
    claimsById: async (ids) => ids.flatMap((id) => claims.get(id) ?? []),
    addResults: async (added) => added.forEach((result) => results.set(result._id, result)),
    releaseClaim: async (id) => void claims.delete(id),
    findCase: async (id) => cases.get(id.toHexString()) ?? null,
    caseExists: async (id) => cases.has(id.toHexString()),
  };
  let next = 0;
  const writeBatch = createBatchWriter({
    store,
    references: {
      reserve: async (year, count) =>
        Array.from({ length: count }, () => `RD-${year}-${String(++next).padStart(6, '0')}`),
    },
    repository: {
      async insertManyNew(records) {
        const refused = new Set<number>();
        records.forEach((record, index) =>
          collide.includes(record.reference)
            ? refused.add(index)
            : cases.set(record._id.toHexString(), record),
        );
        return refused;
      },
      discardUnwritten: async (caseId) => void discarded.push(caseId.toHexString()),
    },
    clock,
    buildCase: (row, ids, at) => buildImportedCase(DEFAULT_POLICY, row, ids, at),
  });
  const write = async (batch: PendingRow[]) => {
    const summary = emptySummary();
    await writeBatch(batch, ownerId, 'run-1', summary);
    return summary;
  };
  return { write, claims, results, cases, discarded };
}

describe('imports: writing a batch', () => {
  it('claims each row, writes its case and then its result, and tallies it', async () => {
    const { write, results, cases } = world();
    const summary = await write([pending('1', 2), pending('2', 3)]);
    expect(summary).to.include({ imported: 2, alreadyImported: 0, skipped: 0 });
    expect([...results.keys()]).to.deep.equal(['cfpb:1', 'cfpb:2']);
    expect([...cases.values()].map((c) => c.reference)).to.deep.equal([
      'RD-2019-000001',
      'RD-2019-000002',
    ]);
    expect(summary.byState).to.deep.equal({ resolved: 2 });
  });

  it('counts finished rows as imported before and leaves a live run its rows', async () => {
    const { write, claims } = world();
    await write([pending('1', 2)]);
    const live = { ...claims.get('cfpb:1')!, _id: 'cfpb:2', sourceId: '2', claimedAt: clock.now() };
    claims.set('cfpb:2', live);
    const summary = await write([pending('1', 2), pending('2', 3)]);
    expect(summary).to.include({ imported: 0, alreadyImported: 1, busyElsewhere: 1 });
  });

  it('finishes a dead run: the result for a written case, the case under the claimed id', async () => {
    const { write, claims, cases, results } = world();
    await write([pending('1', 2)]);
    results.clear();
    const claimedAt = new Date(clock.now().getTime() - STALE_CLAIM_MS);
    const deadCaseId = new Types.ObjectId();
    claims.set('cfpb:2', {
      ...claims.get('cfpb:1')!,
      _id: 'cfpb:2',
      caseId: deadCaseId,
      claimedAt,
    });
    claims.set('cfpb:1', { ...claims.get('cfpb:1')!, claimedAt });
    const summary = await write([pending('1', 2), pending('2', 3)]);
    expect(summary).to.include({ imported: 1, alreadyImported: 1, busyElsewhere: 0 });
    expect(cases.has(deadCaseId.toHexString())).to.equal(true);
    expect([...results.keys()].sort()).to.deep.equal(['cfpb:1', 'cfpb:2']);
  });

  it('gives back a row whose reference collided, so the next run imports it', async () => {
    const { write, claims, discarded } = world(['RD-2019-000002']);
    const summary = await write([pending('1', 2), pending('2', 3)]);
    expect(summary).to.include({ imported: 1, skipped: 1 });
    expect(summary.problems.map((p) => [p.line, p.sourceId])).to.deep.equal([[3, '2']]);
    expect([...claims.keys()]).to.deep.equal(['cfpb:1']);
    expect(discarded).to.have.length(1);
  });
});
