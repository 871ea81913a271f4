import { PAGE_SIZES, type PageDirectory } from './pages.ts';

/** What a walk collects: anything placed in the page buckets (cases, search terms). */
export interface Placed {
  refKey: number;
}

/** Reads every item of one bucket that matches the list's filter. */
export type BucketProbe<T extends Placed> = (
  field: 'pageS' | 'pageM' | 'pageL',
  bucket: string,
) => Promise<T[]>;

type Level = 'S' | 'M' | 'L';

const FIELD: Record<Level, 'pageS' | 'pageM' | 'pageL'> = { S: 'pageS', M: 'pageM', L: 'pageL' };

/** A bucket holding more matches than this is decoded at a finer level next time. */
const DENSE = 256;
/** Bounds one request's work; the page then ends early and its cursor goes on from there. */
const MAX_PROBES = 300;

function bucketStart(bucket: string): number {
  const [level, year, index] = bucket.split(':') as [Level, string, string];
  return Number(year) * 1_000_000_000 + Number(index) * PAGE_SIZES[level];
}

function enclosing(bucket: string, level: 'L'): string {
  const [, year, index] = bucket.split(':');
  return `${level}:${year}:${Math.floor((Number(index) * PAGE_SIZES.M) / PAGE_SIZES[level])}`;
}

/**
 * The newest `want` items below `before` (a refKey, exclusive), newest first; `stoppedEarly`
 * when the walk hit its probe budget before it had them all (the caller's cursor resumes).
 *
 * Walks the bucket directory from the newest bucket down, one equality probe per bucket. It
 * starts with S buckets (64 cases: cheap to decode however dense the filter) and widens to
 * M and L while matches are sparse, so a filter matching one case in a thousand does not cost
 * a thousand probes; a wide bucket that turns out dense sends it back to a finer level.
 */
export async function walkNewestFirst<T extends Placed>(
  directory: PageDirectory,
  probe: BucketProbe<T>,
  want: number,
  before = Number.POSITIVE_INFINITY,
): Promise<{ items: T[]; stoppedEarly: boolean }> {
  const items: T[] = [];
  let bound = before;
  let level: Level = 'S';
  let probes = 0;
  const mBuckets = (await directory.mBuckets()).filter((m) => bucketStart(m) < bound);

  const take = (found: T[], regionStart: number) => {
    const fresh = found.filter((item) => item.refKey < bound).sort((a, b) => b.refKey - a.refKey);
    items.push(...fresh);
    bound = Math.min(bound, regionStart);
    return fresh.length;
  };

  for (let i = 0; i < mBuckets.length && items.length < want;) {
    if (probes >= MAX_PROBES) return { items: items.slice(0, want), stoppedEarly: true };
    const m = mBuckets[i]!;
    if (level === 'L') {
      const l = enclosing(m, 'L');
      probes++;
      const found = take(await probe(FIELD.L, l), bucketStart(l));
      while (i < mBuckets.length && enclosing(mBuckets[i]!, 'L') === l) i++;
      if (found > DENSE) level = 'M';
      continue;
    }
    if (level === 'M') {
      probes++;
      const found = take(await probe(FIELD.M, m), bucketStart(m));
      i++;
      if (found > DENSE) level = 'S';
      else if (found < (want - items.length) / 4) level = 'L';
      continue;
    }
    const sBuckets = (await directory.sBucketsOf(m)).filter((s) => bucketStart(s) < bound);
    let sparseProbes = 0;
    for (const s of sBuckets) {
      if (items.length >= want) break;
      probes++;
      const found = take(await probe(FIELD.S, s), bucketStart(s));
      if (found < (want - items.length) / 8) sparseProbes++;
      if (sparseProbes >= 2) {
        // Sparse here: the rest of this M bucket in one probe, then wider.
        level = 'M';
        break;
      }
    }
    if (level === 'S') {
      bound = Math.min(bound, bucketStart(m));
      i++;
    }
  }
  return { items: items.slice(0, want), stoppedEarly: false };
}
