import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { IMPORT_ACCOUNTS } from './account.ts';
import { csvRecords } from './csv-records.ts';
import { createRowMapper, ImportFileError, readHeader } from './rows.ts';
import {
  emptySummary,
  reject,
  type ImportProgress,
  type ImportSummary,
  type PendingRow,
} from './summary.ts';

export type ImportInput = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

export interface CfpbImportDeps {
  importAccount(source: keyof typeof IMPORT_ACCOUNTS): Promise<string>;
  writeBatch(
    batch: PendingRow[],
    ownerId: Types.ObjectId,
    runId: string,
    summary: ImportSummary,
  ): Promise<void>;
  /** Rows written per round of inserts. */
  batchSize: number;
}

/**
 * Imports a CFPB Consumer Complaint Database CSV. Good rows are written in batches; a bad
 * row (wrong number of fields, broken quoting, an invalid date, an unknown product, ...) is
 * reported with its line and skipped whole. Re-running the same file imports nothing
 * twice. Throws ImportFileError, before writing anything, when the file has no usable header.
 */
export function createCfpbImport(deps: CfpbImportDeps) {
  const { importAccount, writeBatch, batchSize } = deps;
  return async function importCfpb(
    input: ImportInput,
    options: { onProgress?: (progress: ImportProgress) => void } = {},
  ): Promise<ImportSummary> {
    const started = performance.now();
    const runId = randomUUID();
    const summary = emptySummary();
    let bytes = 0;
    const progress = () =>
      options.onProgress?.({
        bytes,
        rows: summary.rows,
        imported: summary.imported,
        skipped: summary.skipped,
      });
    let mapRecord: ReturnType<typeof createRowMapper> | undefined;
    let ownerId: Types.ObjectId | undefined;
    let batch: PendingRow[] = [];

    for await (const record of csvRecords(input, (n) => (bytes += n))) {
      if (!mapRecord) {
        const header = readHeader(record);
        summary.ignoredColumns = header.ignoredColumns;
        mapRecord = createRowMapper(header);
        ownerId = new Types.ObjectId(await importAccount('cfpb'));
        continue;
      }
      summary.rows++;
      const outcome = mapRecord(record);
      if (!outcome.ok) {
        reject(summary, record, outcome.sourceId, outcome.problem);
      } else {
        batch.push(outcome.row);
        if (batch.length >= batchSize) {
          await writeBatch(batch, ownerId!, runId, summary);
          batch = [];
        }
      }
      progress();
    }
    if (!mapRecord) throw new ImportFileError('The file is empty: no header, no rows.');
    await writeBatch(batch, ownerId!, runId, summary);
    progress();
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  };
}
