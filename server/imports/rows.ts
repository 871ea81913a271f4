import { AppError } from '../errors.ts';
import { CFPB_COLUMNS, mapCfpbRow, type CfpbRow } from './cfpb.ts';
import { parseRecord, type RawRecord } from './csv-records.ts';
import type { PendingRow } from './summary.ts';

/** The file as a whole cannot be imported (no header, not a CFPB file): nothing was written. */
export class ImportFileError extends AppError {
  constructor(detail: string) {
    super('import-file-invalid', 422, detail);
  }
}

export interface CfpbHeader {
  columns: Map<string, number>;
  width: number;
  ignoredColumns: string[];
}

/** The header of a CFPB export: where each column is; throws ImportFileError if it is none. */
export function readHeader(record: RawRecord): CfpbHeader {
  const header = parseRecord(record, null);
  if (!header.ok)
    throw new ImportFileError(
      `The header (line ${record.line}) cannot be read: ${header.problem}.`,
    );
  const names = header.fields.map((field) => field.trim());
  const missing = CFPB_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw new ImportFileError(
      `The header (line ${record.line}) lacks the CFPB column(s) ${missing.map((m) => `"${m}"`).join(', ')}; is this a CFPB Consumer Complaint Database CSV?`,
    );
  }
  return {
    columns: new Map(names.map((name, index) => [name, index])),
    width: names.length,
    ignoredColumns: names.filter((name) => !(CFPB_COLUMNS as readonly string[]).includes(name)),
  };
}

export type RowOutcome =
  { ok: true; row: PendingRow } | { ok: false; sourceId: string | null; problem: string };

/**
 * Maps the records after the header to rows to write, or to the problem that skips them
 * whole: a broken record, a row the CFPB mapping refuses, or a Complaint ID seen before in
 * this file.
 */
export function createRowMapper(header: CfpbHeader) {
  const seen = new Map<string, number>();
  return function mapRecord(record: RawRecord): RowOutcome {
    const parsed = parseRecord(record, header.width);
    if (!parsed.ok) return { ok: false, sourceId: null, problem: parsed.problem };
    const row = Object.fromEntries(
      CFPB_COLUMNS.map((column) => [column, parsed.fields[header.columns.get(column)!] ?? '']),
    ) as CfpbRow;
    const mapped = mapCfpbRow(row);
    const sourceId = row['Complaint ID'].trim() || null;
    if (!mapped.ok) return { ok: false, sourceId, problem: mapped.problems.join('; ') };
    const earlier = seen.get(mapped.value.sourceId);
    if (earlier !== undefined) {
      return {
        ok: false,
        sourceId,
        problem: `Complaint ID ${mapped.value.sourceId} already appears on line ${earlier}`,
      };
    }
    seen.set(mapped.value.sourceId, record.line);
    return { ok: true, row: { line: record.line, endLine: record.endLine, value: mapped.value } };
  };
}
