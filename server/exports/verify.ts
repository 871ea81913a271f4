// Offline verification of an NDJSON export. Pure: it imports nothing that touches a database,
// so `npm run verify-export` runs anywhere the file is, with no server and no configuration.
// It is also browser-safe (no node: modules or Node globals): the web app's verify page bundles this
// very file, so the page and the command line cannot disagree about what verifies.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  GENESIS_HASH,
  verifyChain,
  type ChainProblem,
  type TimelineEntry,
} from '../cases/timeline.ts';

/** What is wrong, as a code: `problem` words it in English for the command line. */
export type FailureCode =
  | ChainProblem
  | 'json'
  | 'notCase'
  | 'noTimeline'
  | 'emptyTimeline'
  | 'entryNotObject'
  | 'truncated'
  | 'duplicate';

export interface CaseFailure {
  /** 1-based line of the file. */
  line: number;
  id: string | null;
  reference: string | null;
  /** The sequence number of the first entry that does not verify; null when the line itself is bad. */
  seq: number | null;
  entryType: string | null;
  problem: string;
  code: FailureCode;
}

export interface VerifyReport {
  cases: number;
  verified: number;
  entries: number;
  failures: CaseFailure[];
  bytes: number;
  /** sha256 of the whole file: compare with the export's audit record (GET /api/v1/exports). */
  sha256: string;
}

export interface VerifyProgress {
  bytes: number;
  cases: number;
  failures: number;
}

const REFERENCE = /"reference"\s*:\s*"([^"\\]{1,64})"/;
const ID = /"id"\s*:\s*"([0-9a-f]{24})"/;

/** Best effort to name the case on a line that no longer parses. */
function nameOf(line: string): { id: string | null; reference: string | null } {
  return { id: ID.exec(line)?.[1] ?? null, reference: REFERENCE.exec(line)?.[1] ?? null };
}

function asText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Checks one line (one case): its chain, and that the chain ends where the case says it ends. */
export function verifyCaseLine(
  text: string,
  line: number,
): { failure: CaseFailure | null; entries: number; id: string | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return {
      failure: {
        line,
        ...nameOf(text),
        seq: null,
        entryType: null,
        problem: `the line is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        code: 'json',
      },
      entries: 0,
      id: nameOf(text).id,
    };
  }
  const record = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const id = asText(record.id);
  const reference = asText(record.reference);
  const fail = (
    code: FailureCode,
    problem: string,
    seq: number | null = null,
    entryType: string | null = null,
  ) => ({
    failure: { line, id, reference, seq, entryType, problem, code },
    entries: Array.isArray(record.timeline) ? record.timeline.length : 0,
    id,
  });
  if (!id || !reference)
    return fail('notCase', 'the line is not an exported case (no id or reference)');
  const timeline = record.timeline;
  if (!Array.isArray(timeline)) return fail('noTimeline', 'the case has no timeline');
  if (timeline.length === 0) return fail('emptyTimeline', 'the case has an empty timeline');
  if (!timeline.every((entry) => entry !== null && typeof entry === 'object')) {
    return fail('entryNotObject', 'a timeline entry is not an object');
  }
  const entries = timeline as TimelineEntry[];
  const verdict = verifyChain(entries);
  if (!verdict.verified) {
    const broken =
      entries.find((entry) => entry.seq === verdict.brokenAt) ?? entries[verdict.checked - 1];
    return fail(verdict.code, verdict.problem, verdict.brokenAt, asText(broken?.type));
  }
  // A chain cut short still verifies link by link; the case's own last hash says where it ended.
  const lastHash = entries.at(-1)?.hash ?? GENESIS_HASH;
  if (record.lastHash !== undefined && record.lastHash !== lastHash) {
    return fail(
      'truncated',
      `the chain ends at entry ${entries.length}, but the case's last hash is not that entry's: entries are missing from the end`,
      entries.length + 1,
    );
  }
  return { failure: null, entries: entries.length, id };
}

/**
 * Reads an NDJSON export chunk by chunk (memory stays flat whatever the file size), verifies
 * every case's hash chain and hashes the bytes. A case that appears twice is reported too: an
 * export never contains the same case twice.
 */
export async function verifyExport(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  onProgress?: (progress: VerifyProgress) => void,
): Promise<VerifyReport> {
  const hash = sha256.create();
  // ignoreBOM keeps a leading BOM in the text, as the command line always did: it is not NDJSON.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const report: VerifyReport = {
    cases: 0,
    verified: 0,
    entries: 0,
    failures: [],
    bytes: 0,
    sha256: '',
  };
  let carry = '';
  let lineNumber = 0;

  const check = (text: string) => {
    lineNumber++;
    if (text.trim() === '') return;
    report.cases++;
    const { failure, entries, id } = verifyCaseLine(text, lineNumber);
    report.entries += entries;
    if (failure) {
      report.failures.push(failure);
      return;
    }
    if (id && seen.has(id)) {
      const { reference } = nameOf(text);
      report.failures.push({
        line: lineNumber,
        id,
        reference,
        seq: null,
        entryType: null,
        problem: 'the same case appears more than once in the file',
        code: 'duplicate',
      });
      return;
    }
    if (id) seen.add(id);
    report.verified++;
  };

  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    hash.update(bytes);
    report.bytes += bytes.length;
    carry += decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline = carry.indexOf('\n');
    while (newline !== -1) {
      check(carry.slice(start, newline));
      start = newline + 1;
      newline = carry.indexOf('\n', start);
    }
    carry = carry.slice(start);
    onProgress?.({ bytes: report.bytes, cases: report.cases, failures: report.failures.length });
  }
  carry += decoder.decode();
  if (carry.length > 0) check(carry);
  report.sha256 = bytesToHex(hash.digest());
  return report;
}
