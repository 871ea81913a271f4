import { PAGE_SIZES, type PageDirectory } from './pages.ts';

/** What a walk collects: anything placed in the page buckets (cases, search terms). */
export interface Placed {
  refKey: number;
}

/**
 * Reads the items of one bucket that match the list's filter, at most `cap` of them. A bucket
 * that reaches the cap was denser than expected and is read again at a finer level, so one
 * wrong guess never floods the page with far more than it needs. (On FerretDB the cap does not
 * save decoding: it decodes every match before it limits, docs/database-compatibility.md; the
 * density estimate from the counts is what keeps buckets small.)
 */
export type BucketProbe<T extends Placed> = (
  field: 'pageS' | 'pageM' | 'pageL',
  bucket: string,
  cap: number,
) => Promise<T[]>;

type Level = 'S' | 'M' | 'L';

const FIELD: Record<Level, 'pageS' | 'pageM' | 'pageL'> = { S: 'pageS', M: 'pageM', L: 'pageL' };

const LEVELS: readonly Level[] = ['S', 'M', 'L'];
/** What one probe should decode at most when the density allows: about a page and a half. */
const EXPECTED_PER_PROBE = 32;
/** Matches a wide probe may return; more means it was too wide and is redone finer. */
const WIDE_CAP = 160;
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
 * starts with S buckets (64 cases: cheap to decode however dense the filter) and, from the
 * density of matches seen so far, picks for each next probe the widest bucket expected to hold
 * about what is still wanted: a filter matching one case in a thousand does not cost a
 * thousand probes, and one matching every case decodes about a page. Nothing found yet widens
 * one level at a time, so a wrong guess costs at most 16 times what it expected.
 */
export async function walkNewestFirst<T extends Placed>(
  directory: PageDirectory,
  probe: BucketProbe<T>,
  want: number,
  before = Number.POSITIVE_INFINITY,
  /** The share of cases the filter matches, when known (the queue counts): where to start. */
  density?: number,
): Promise<{ items: T[]; stoppedEarly: boolean }> {
  const items: T[] = [];
  let bound = before;
  let level = 'S' as Level;
  let probes = 0;
  // A known density counts as one M bucket's worth of evidence, which the walk then refines.
  let matched = density ? density * PAGE_SIZES.M : 0;
  let covered = density ? PAGE_SIZES.M : 0;
  const mBuckets = (await directory.mBuckets()).filter((m) => bucketStart(m) < bound);

  /** False when the bucket held more than the cap: nothing taken, the level is finer. */
  const run = async (probed: Level, bucket: string): Promise<boolean> => {
    probes++;
    const cap = probed === 'S' ? PAGE_SIZES.S + 1 : WIDE_CAP;
    const found = await probe(FIELD[probed], bucket, cap);
    if (found.length >= cap) {
      level = LEVELS[LEVELS.indexOf(probed) - 1]!;
      return false;
    }
    const fresh = found.filter((item) => item.refKey < bound).sort((a, b) => b.refKey - a.refKey);
    items.push(...fresh);
    bound = Math.min(bound, bucketStart(bucket));
    matched += fresh.length;
    covered += PAGE_SIZES[probed];
    level = nextLevel(probed, fresh.length / PAGE_SIZES[probed]);
    return true;
  };

  const nextLevel = (current: Level, recent: number): Level => {
    if (matched === 0) return LEVELS[Math.min(LEVELS.indexOf(current) + 1, LEVELS.length - 1)]!;
    // The probe just made, when it was denser than the average: matches cluster (an
    // officer's newest assignments), and the next bucket is likelier to be like this one
    // than like the average. One sparse probe brings the average back.
    const density = Math.max(matched / covered, recent);
    const enough = Math.max(2 * (want - items.length), EXPECTED_PER_PROBE);
    let choice: Level = 'S';
    for (const candidate of LEVELS)
      if (density * PAGE_SIZES[candidate] <= enough) choice = candidate;
    return choice;
  };

  // The first probe is an S bucket whatever the density says: matches are often far denser
  // among the newest cases (today's filings in a triage queue) than on average, a wide first
  // probe then decodes all of them (FerretDB decodes every match before it limits), and an S
  // probe costs little when it finds nothing; what it finds then sets the width.

  for (let i = 0; i < mBuckets.length && items.length < want;) {
    if (probes >= MAX_PROBES) return { items: items.slice(0, want), stoppedEarly: true };
    const m = mBuckets[i]!;
    if (level === 'L') {
      const l = enclosing(m, 'L');
      if (await run('L', l)) {
        while (i < mBuckets.length && enclosing(mBuckets[i]!, 'L') === l) i++;
      }
      continue;
    }
    if (level === 'M') {
      if (await run('M', m)) i++;
      continue;
    }
    const sBuckets = (await directory.sBucketsOf(m)).filter((s) => bucketStart(s) < bound);
    for (const s of sBuckets) {
      if (items.length >= want || probes >= MAX_PROBES) break;
      await run('S', s);
      // Wider from here: the rest of this M bucket is read at the new level.
      if (level !== 'S') break;
    }
    if (level === 'S') {
      bound = Math.min(bound, bucketStart(m));
      i++;
    }
  }
  return { items: items.slice(0, want), stoppedEarly: false };
}
