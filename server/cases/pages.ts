import type { Collection } from 'mongodb';
import { isDuplicateKey } from '../db/duplicate-key.ts';

/**
 * Equality buckets that let a list be read newest first without a sort the database could do.
 *
 * FerretDB on PostgreSQL filters only by top-level equality and sorts in Go after decoding every
 * matching document (server/db/pushdown.ts), so "the newest 20 of the 30,000 closed cases"
 * must not be asked as one query. Every case is placed, by its reference number, in three
 * nested buckets — S of 64 numbers, M of 1,024 and L of 16,384 within a year — stored as
 * top-level fields of the case. A list walks the buckets from the newest down, with equality
 * on a bucket field added to its filter, and widens the bucket while matches are sparse
 * (server/cases/listing.ts). `case_pages` is the directory of buckets that hold any case, so
 * the walk never probes empty ones; its entries are claimed by insert (idempotent on FerretDB
 * and MongoDB alike) before the first case of a bucket is written, and never removed.
 */
export const PAGE_SIZES = { S: 64, M: 1024, L: 16384 } as const;

export interface PagePlacement {
  /** Sort key: newer references are larger; unique per case. */
  refKey: number;
  pageS: string;
  pageM: string;
  pageL: string;
}

export interface PageDirectoryEntry {
  _id: string;
  level: 'S' | 'M';
  /** The M bucket an S bucket belongs to; the M's own id for M entries. */
  parent: string;
}

const REFERENCE = /^RD-(\d{4})-(\d{1,9})$/;

export function parseReference(reference: string): { year: number; number: number } {
  const match = REFERENCE.exec(reference);
  if (!match) throw new Error(`not a case reference: ${reference}`);
  return { year: Number(match[1]), number: Number(match[2]) };
}

export function placementOf(reference: string): PagePlacement {
  const { year, number } = parseReference(reference);
  const bucket = (size: number) => Math.floor(number / size);
  return {
    refKey: year * 1_000_000_000 + number,
    pageS: `S:${year}:${bucket(PAGE_SIZES.S)}`,
    pageM: `M:${year}:${bucket(PAGE_SIZES.M)}`,
    pageL: `L:${year}:${bucket(PAGE_SIZES.L)}`,
  };
}

/** Orders bucket ids of one level newest first (`S:2026:12` after `S:2025:900`). */
export function compareBucketsDesc(a: string, b: string): number {
  const [, ay, an] = a.split(':');
  const [, by, bn] = b.split(':');
  return Number(by) - Number(ay) || Number(bn) - Number(an);
}

/** Claims the directory entries of the buckets `references` fall in; cached per process. */
export function createPageDirectory(pages: Collection<PageDirectoryEntry>) {
  const known = new Set<string>();

  async function claim(entry: PageDirectoryEntry): Promise<void> {
    if (known.has(entry._id)) return;
    try {
      await pages.insertOne(entry);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    known.add(entry._id);
  }

  return {
    async claimFor(references: readonly string[]): Promise<void> {
      const entries = new Map<string, PageDirectoryEntry>();
      for (const reference of references) {
        const { pageS, pageM } = placementOf(reference);
        entries.set(pageM, { _id: pageM, level: 'M', parent: pageM });
        entries.set(pageS, { _id: pageS, level: 'S', parent: pageM });
      }
      // M before S, so a walk that finds an S entry always finds its M.
      for (const entry of entries.values()) if (entry.level === 'M') await claim(entry);
      await Promise.all([...entries.values()].filter((e) => e.level === 'S').map(claim));
    },
    async mBuckets(): Promise<string[]> {
      const found = await pages.find({ level: 'M' }, { projection: { _id: 1 } }).toArray();
      return found.map((e) => e._id).sort(compareBucketsDesc);
    },
    async sBucketsOf(mBucket: string): Promise<string[]> {
      const found = await pages
        .find({ parent: mBucket, level: 'S' }, { projection: { _id: 1 } })
        .toArray();
      return found.map((e) => e._id).sort(compareBucketsDesc);
    },
  };
}
export type PageDirectory = ReturnType<typeof createPageDirectory>;
