// Browser-safe on purpose: the web app's verify page runs this same code on a file that never
// leaves the reader's machine, so nothing here may import a node: module.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson } from '../canonical-json.ts';

/** The hash before the first entry of every case. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * One entry of a case's history. `at` is an ISO string (not a Date) so the hashed form is
 * the same after any round trip through the database, an export file or JSON.
 */
export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: { id: string; role: string };
  fromState: string | null;
  toState: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type UnhashedEntry = Omit<TimelineEntry, 'prevHash' | 'hash'>;

const utf8 = new TextEncoder();

function entryHash(prevHash: string, entry: UnhashedEntry): string {
  const { seq, at, type, actor, fromState, toState, data } = entry;
  const text = prevHash + canonicalJson({ seq, at, type, actor, fromState, toState, data });
  return bytesToHex(sha256(utf8.encode(text)));
}

/** Seals an entry onto the end of a chain whose last hash is `prevHash`. */
export function sealEntry(prevHash: string, entry: UnhashedEntry): TimelineEntry {
  return { ...entry, prevHash, hash: entryHash(prevHash, entry) };
}

/** Why a link fails, for a reader that words it in its own language (the web app's verify page). */
export type ChainProblem = 'sequence' | 'link' | 'content';

export type ChainVerdict =
  | { verified: true; checked: number }
  | {
      verified: false;
      checked: number;
      brokenAt: number;
      problem: string;
      code: ChainProblem;
    };

/** Recomputes every link; the first entry that does not match is where the history was altered. */
export function verifyChain(entries: readonly TimelineEntry[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const broken = (code: ChainProblem, problem: string): ChainVerdict => ({
      verified: false,
      checked: index + 1,
      brokenAt: entry.seq ?? index + 1,
      problem,
      code,
    });
    if (entry.seq !== index + 1)
      return broken('sequence', `entry ${index + 1} has sequence number ${entry.seq}`);
    if (entry.prevHash !== prevHash)
      return broken('link', 'its previous hash does not match the entry before it');
    if (entryHash(prevHash, entry) !== entry.hash)
      return broken('content', 'its content does not match its hash');
    prevHash = entry.hash;
  }
  return { verified: true, checked: entries.length };
}
