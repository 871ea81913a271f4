import { expect } from 'chai';
import { Types } from 'mongoose';
import { CFPB_COLUMNS, type CfpbRow } from '../../../server/imports/cfpb.ts';
import { createCfpbImport } from '../../../server/imports/run.ts';
import { ImportFileError } from '../../../server/imports/rows.ts';
import type { ImportSummary, PendingRow } from '../../../server/imports/summary.ts';
import { cfpbRow } from './fixtures.ts';

// Reading, mapping and batching a CFPB file against a fake writer and a fake account: no
// database.
const ownerId = new Types.ObjectId();

function csvLine(fields: readonly string[]): string {
  return fields.map((field) => `"${field.replaceAll('"', '""')}"`).join(',') + '\n';
}

/** One CFPB row as the export writes it, in CFPB_COLUMNS order, then the extra column. */
function rowLine(id: string, overrides: Partial<CfpbRow> = {}): string {
  const row = cfpbRow({ 'Complaint ID': id, ...overrides });
  return csvLine([...CFPB_COLUMNS.map((column) => row[column]), 'x']);
}

const header = csvLine([...CFPB_COLUMNS, 'Extra']);

/** The import over a fake writer that keeps each batch and counts its rows imported. */
function run(batchSize: number) {
  const batches: string[][] = [];
  const accounts: string[] = [];
  const importCfpb = createCfpbImport({
    importAccount: async (source) => (accounts.push(source), ownerId.toHexString()),
    writeBatch: async (batch: PendingRow[], owner, _runId, summary: ImportSummary) => {
      expect(owner.equals(ownerId)).to.equal(true);
      if (batch.length === 0) return;
      batches.push(batch.map((row) => row.value.sourceId));
      summary.imported += batch.length;
    },
    batchSize,
  });
  return { importCfpb, batches, accounts };
}

describe('imports: reading and batching a CFPB file', () => {
  it('writes good rows in batches of batchSize, in file order, owned by the import account', async () => {
    const { importCfpb, batches, accounts } = run(2);
    const rows = ['1', '2', '3', '4', '5'].map((id) => rowLine(id));
    const summary = await importCfpb([header, ...rows]);
    expect(batches).to.deep.equal([['1', '2'], ['3', '4'], ['5']]);
    expect(accounts).to.deep.equal(['cfpb']);
    expect(summary).to.include({ rows: 5, imported: 5, skipped: 0 });
    expect(summary.ignoredColumns).to.deep.equal(['Extra']);
  });

  it('skips a broken record, an unmappable row and a repeated Complaint ID, by line', async () => {
    const { importCfpb, batches } = run(10);
    const summary = await importCfpb([
      header,
      rowLine('1'),
      '"only","three","fields"\n',
      rowLine('2', { 'Date received': 'not a date' }),
      rowLine('1'),
      rowLine('3'),
    ]);
    expect(batches).to.deep.equal([['1', '3']]);
    expect(summary).to.include({ rows: 5, imported: 2, skipped: 3 });
    expect(summary.problems.map((p) => [p.line, p.sourceId])).to.deep.equal([
      [3, null],
      [4, '2'],
      [5, '1'],
    ]);
    expect(summary.problems[2]!.problem).to.equal('Complaint ID 1 already appears on line 2');
  });

  it('refuses a file without the CFPB columns, or with nothing in it, before writing', async () => {
    const { importCfpb, batches, accounts } = run(10);
    const notCfpb = await importCfpb(['name,email\n', 'a,b\n']).catch((e: unknown) => e);
    expect(notCfpb).to.be.instanceOf(ImportFileError);
    expect((notCfpb as ImportFileError).detail).to.match(/lacks the CFPB column/);
    expect(await importCfpb([]).catch((e: unknown) => e)).to.be.instanceOf(ImportFileError);
    expect(batches).to.deep.equal([]);
    expect(accounts).to.deep.equal([]);
  });

  it('reports progress after every row', async () => {
    const { importCfpb } = run(10);
    const seen: number[] = [];
    await importCfpb([header, rowLine('1')], {
      onProgress: (progress) => seen.push(progress.rows),
    });
    expect(seen).to.deep.equal([1, 1]);
  });
});
