import { createHash } from 'node:crypto';
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

function entryHash(prevHash: string, entry: UnhashedEntry): string {
  const { seq, at, type, actor, fromState, toState, data } = entry;
  return createHash('sha256')
    .update(prevHash + canonicalJson({ seq, at, type, actor, fromState, toState, data }))
    .digest('hex');
}

/** Seals an entry onto the end of a chain whose last hash is `prevHash`. */
export function sealEntry(prevHash: string, entry: UnhashedEntry): TimelineEntry {
  return { ...entry, prevHash, hash: entryHash(prevHash, entry) };
}

export type ChainVerdict =
  | { verified: true; checked: number }
  | { verified: false; checked: number; brokenAt: number; problem: string };

/** Recomputes every link; the first entry that does not match is where the history was altered. */
export function verifyChain(entries: readonly TimelineEntry[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const broken = (problem: string): ChainVerdict => ({
      verified: false,
      checked: index + 1,
      brokenAt: entry.seq ?? index + 1,
      problem,
    });
    if (entry.seq !== index + 1)
      return broken(`entry ${index + 1} has sequence number ${entry.seq}`);
    if (entry.prevHash !== prevHash)
      return broken('its previous hash does not match the entry before it');
    if (entryHash(prevHash, entry) !== entry.hash)
      return broken('its content does not match its hash');
    prevHash = entry.hash;
  }
  return { verified: true, checked: entries.length };
}
