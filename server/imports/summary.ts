import type { CfpbCase } from './cfpb.ts';

export interface ImportProblem {
  line: number;
  /** Where the record ends when it spans several lines (quoted newlines). */
  endLine: number;
  sourceId: string | null;
  problem: string;
}

export interface ImportSummary {
  source: 'cfpb';
  rows: number;
  imported: number;
  alreadyImported: number;
  /** Rows another import run is writing right now; a later run picks them up if it dies. */
  busyElsewhere: number;
  skipped: number;
  problems: ImportProblem[];
  byState: Record<string, number>;
  byCategory: Record<string, number>;
  ignoredColumns: string[];
  durationMs: number;
}

export interface ImportProgress {
  bytes: number;
  rows: number;
  imported: number;
  skipped: number;
}

/** A mapped row waiting for its batch to be written. */
export interface PendingRow {
  line: number;
  endLine: number;
  value: CfpbCase;
}

export function emptySummary(): ImportSummary {
  return {
    source: 'cfpb',
    rows: 0,
    imported: 0,
    alreadyImported: 0,
    busyElsewhere: 0,
    skipped: 0,
    problems: [],
    byState: {},
    byCategory: {},
    ignoredColumns: [],
    durationMs: 0,
  };
}

export function tally(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Counts a skipped row and says why. */
export function reject(
  summary: ImportSummary,
  row: { line: number; endLine: number },
  sourceId: string | null,
  problem: string,
): void {
  summary.skipped++;
  summary.problems.push({ line: row.line, endLine: row.endLine, sourceId, problem });
}
