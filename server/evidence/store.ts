import type { Readable } from 'node:stream';
import type { StorageBackend } from './schemas.ts';

/** An inclusive byte range, as HTTP counts them. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredContent {
  stream: Readable;
  /** The size of the stored object (not of the range). */
  size: number;
}

/** One object in the store, as the garbage collector sees it. */
export interface StoredObject {
  /** For a hidden object, the token `unhide`/`purge` take. */
  key: string;
  sha256: string;
  /** When it was written or last re-put: the collector spares anything younger than its grace. */
  touchedAt: Date;
  /** Set aside by a collection that was interrupted before it decided. */
  hidden: boolean;
}

/**
 * Content-addressed storage of evidence bytes: one object per sha256, however many cases hold
 * it. Objects are only ever created whole (a rename, or a GridFS file document written after its
 * chunks), so a reader never sees a partial object.
 *
 * Ages are wall-clock times of the disk or database that keeps the object, not the service
 * clock, which tests move by months.
 */
export interface EvidenceStore {
  readonly backend: StorageBackend;
  /**
   * Makes the bytes of `tempPath` available under the key it returns. The temp file stays (the
   * caller keeps it until the case records the evidence, in case a collection races the
   * upload). Content that is already stored is not written again, only marked fresh, so a
   * collection that is running does not take it. `attemptId` (an ObjectId in hex) names this
   * storing: GridFS writes its file under that `_id`, so what a dead write left is found by it.
   */
  put(tempPath: string, sha256: string, size: number, attemptId?: string): Promise<string>;
  /** The key `put` returns for these bytes. */
  keyOf(sha256: string): string;
  has(key: string): Promise<boolean>;
  /** The stored bytes, or a range of them; null when the object is not there. */
  open(key: string, range?: ByteRange): Promise<StoredContent | null>;
  /** Everything stored: for the rare full collection only (it reads the whole store). */
  list(): AsyncIterable<StoredObject>;
  /** Tokens of the copies of `sha256` a collection set aside and has not decided about yet. */
  hiddenOf(sha256: string): Promise<string[]>;
  /** Takes an object away from readers and writers without deleting it; null if absent. */
  hide(key: string): Promise<string | null>;
  /** Puts a hidden object back (a case turned out to reference it after all). */
  unhide(token: string): Promise<void>;
  purge(token: string): Promise<void>;
  /** Leftovers of writes that died half-way and that no reader can see; returns how many. */
  sweepPartial(olderThan: Date): Promise<number>;
  /**
   * The leftovers of the one `put` given `attemptId`, if it died half-way (1) or not (0). Only
   * for an attempt long over: one still running would lose what it wrote so far.
   */
  sweepPartialOf(attemptId: string): Promise<number>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
