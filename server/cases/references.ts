import type { Db } from 'mongodb';
import { insertManyTolerating, upsertOne } from '../db/duplicate-key.ts';

export interface ReferenceAllocator {
  /** One reference for a case filed in `year`. */
  next(year: number): Promise<string>;
  /** `count` references for `year` at once (bulk imports), ascending. */
  reserve(year: number, count: number): Promise<string[]>;
}

export interface ReferenceAllocatorOptions {
  /** Numbers per claimed block. Every allocator on a database must use the same size. */
  blockSize?: number;
}

interface Range {
  next: number;
  end: number;
}

/** Rounds of refused claims before giving up: the stride doubles each round, so 2^40 blocks. */
const MAX_ROUNDS = 40;

export function formatReference(year: number, seq: number): string {
  return `RD-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * Hands out `RD-2026-000123` references, unique and gap-tolerant, to filing and imports alike.
 *
 * There is one claim scheme, so no two allocators (in this process or another) can hand out
 * the same number: whoever inserts `block:<year>:<n>` as an `_id` into `case_references` owns
 * the numbers `n*blockSize+1 .. (n+1)*blockSize`. An insert with a unique `_id` is the one
 * write that is atomic on FerretDB (`$inc` and other updates there read then write, so two
 * concurrent increments can return the same number). Claimed numbers are handed out from
 * memory, so filing usually costs no round trip; what is left when the process stops becomes
 * a gap. The `case-reference-block-<year>` counter only says where to start looking.
 *
 * Databases written before this scheme also hold single claims `RD-<year>-NNNNNN` (imports)
 * with the hint `case-reference-<year>`. Those numbers are not covered by any block `_id`, so
 * the first claim of a year starts above the highest of them.
 */
export function createReferenceAllocator(
  db: Db,
  options: ReferenceAllocatorOptions = {},
): ReferenceAllocator {
  const blockSize = options.blockSize ?? 50;
  const claims = db.collection<{ _id: string }>('case_references');
  const counters = db.collection<{ _id: string; seq: number }>('counters');
  const claimed = new Map<number, Range[]>();
  // The lowest block worth trying per year; it only grows, and saves re-probing old data.
  const floors = new Map<number, number>();
  // Claims run one at a time per allocator, so concurrent callers share a block instead of
  // each claiming one of their own.
  let queue: Promise<unknown> = Promise.resolve();

  function serially<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  }

  function take(year: number, count: number, into: string[]): void {
    const ranges = claimed.get(year) ?? [];
    while (into.length < count && ranges.length > 0) {
      const range = ranges[0]!;
      into.push(formatReference(year, range.next++));
      if (range.next > range.end) ranges.shift();
    }
  }

  /** The first block above every number the old single-reference scheme may have taken. */
  async function legacyFloor(year: number): Promise<number> {
    const counter = await counters.findOne({ _id: `case-reference-${year}` });
    // A process that died between its inserts and raising the counter left claims above it.
    const highest = await claims
      .find({ _id: { $regex: `^RD-${year}-\\d+$` } }, { projection: { _id: 1 } })
      .sort({ _id: -1 })
      .limit(1)
      .next();
    const oldSeq = Math.max(counter?.seq ?? 0, highest ? Number(highest._id.split('-')[2]) : 0);
    return Math.ceil(oldSeq / blockSize);
  }

  async function claimBlocks(year: number, count: number): Promise<void> {
    const hintId = `case-reference-block-${year}`;
    if (!floors.has(year)) floors.set(year, await legacyFloor(year));
    const hint = await counters.findOne({ _id: hintId });
    let candidate = Math.max(floors.get(year)!, (hint?.seq ?? -1) + 1);
    let stride = 0;
    const won: number[] = [];
    for (let round = 0; won.length < count; round++) {
      if (round >= MAX_ROUNDS) throw new Error(`could not claim a reference block for ${year}`);
      const candidates = Array.from({ length: count - won.length }, (_, i) => candidate + i);
      const refused = await insertManyTolerating(
        claims,
        candidates.map((n) => ({ _id: `block:${year}:${n}` })),
      );
      won.push(...candidates.filter((_, i) => !refused.has(i)));
      // When everything was taken the hint is far behind (a lost `$max`, a deleted counter):
      // skipping ahead faster keeps that to a few rounds; skipped blocks are only gaps.
      stride = refused.size === candidates.length ? Math.max(1, stride * 2) : 0;
      candidate += candidates.length + stride;
    }
    won.sort((a, b) => a - b);
    const last = won[won.length - 1]!;
    floors.set(year, last + 1);
    await upsertOne(counters, { _id: hintId }, { $max: { seq: last } });
    const ranges = claimed.get(year) ?? [];
    for (const n of won) ranges.push({ next: n * blockSize + 1, end: (n + 1) * blockSize });
    claimed.set(year, ranges);
  }

  async function allocate(year: number, count: number): Promise<string[]> {
    const out: string[] = [];
    take(year, count, out);
    // A loop, not an if: a concurrent next() may take from the new blocks before we resume.
    while (out.length < count) {
      await claimBlocks(year, Math.ceil((count - out.length) / blockSize));
      take(year, count, out);
    }
    return out;
  }

  return {
    async next(year) {
      const out: string[] = [];
      take(year, 1, out);
      if (out.length === 1) return out[0]!;
      return (await serially(() => allocate(year, 1)))[0]!;
    },
    async reserve(year, count) {
      if (count <= 0) return [];
      return serially(() => allocate(year, count));
    },
  };
}
