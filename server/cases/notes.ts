import type { Role } from '../identity.ts';
import type { TimelineEntry } from './timeline.ts';

/**
 * Internal notes: officers' remarks on a case, kept in its hash-chained history (so officers
 * and compliance verify and export them with everything else) but never shown to the
 * complainant: not in their timeline, their case view, their emails (a note asks for none) or
 * the dossier sent to a consumer body.
 */
export const NOTE_ENTRY = 'NOTE';
export const NOTE_MAX = 5_000;

/** Roles that read internal notes. */
const NOTE_READERS: ReadonlySet<string> = new Set<Role>(['officer', 'compliance', 'admin']);

/**
 * The entries `role` may read. The complainant's view has gaps in `seq` where notes are, and
 * each entry keeps its own hashes, so what they see is still the sealed history, only shorter.
 */
export function visibleEntries(entries: readonly TimelineEntry[], role: string): TimelineEntry[] {
  return NOTE_READERS.has(role) ? [...entries] : entries.filter((e) => e.type !== NOTE_ENTRY);
}

/** The entries a document for outsiders (the consumer body's dossier) carries. */
export function withoutNotes(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return entries.filter((e) => e.type !== NOTE_ENTRY);
}
