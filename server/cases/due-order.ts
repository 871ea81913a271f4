import { NO_DUE_HOUR } from './derived.ts';
import { fieldCounter } from './queue-counts.ts';

/** Where a case stands in time-left order: its next running deadline, then its reference. */
export interface DuePosition {
  nextDueAt: Date | null;
  refKey: number;
}

/**
 * Time-left order, the officers' default: the soonest running deadline first (ties newest
 * first), then the cases without a running deadline, newest first. A total order, so a cursor
 * (the last case of a page) says exactly where the next page starts.
 */
export function compareByDue(a: DuePosition, b: DuePosition): number {
  if (a.nextDueAt && b.nextDueAt) {
    return a.nextDueAt.getTime() - b.nextDueAt.getTime() || b.refKey - a.refKey;
  }
  if (a.nextDueAt) return -1;
  if (b.nextDueAt) return 1;
  return b.refKey - a.refKey;
}

const DAY_COUNTER = fieldCounter('dueDay', '');

/** The days that hold cases with a running deadline, soonest first, with how many each holds. */
export function dueDays(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts)
    .filter(([key, count]) => key.startsWith(DAY_COUNTER) && count > 0)
    .map(([key, count]): [string, number] => [key.slice(DAY_COUNTER.length), count])
    .filter(([day]) => day !== NO_DUE_HOUR)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The hour keys of a UTC day ('2026-12-02' → '2026-12-02T00' … 'T23'), as `dueHour` stores. */
export function hoursOf(day: string): string[] {
  return Array.from({ length: 24 }, (_, hour) => `${day}T${String(hour).padStart(2, '0')}`);
}

export interface DueWalkSteps<T extends DuePosition> {
  /** The cases of the list's filter due on `day` (equality on `dueDay`), all of them. */
  day(day: string): Promise<T[]>;
  /** The same for one hour (equality on `dueHour`): for days too full to read at once. */
  hour(hour: string): Promise<T[]>;
  /** Cases of the filter without a running deadline, newest first, below `before` (a refKey). */
  undated(want: number, before: number | undefined): Promise<{ items: T[]; stoppedEarly: boolean }>;
}

/** A day expected to hold more matches than this is read hour by hour. */
const FULL_DAY = 160;
/** Bounds one request's work, as listing.ts does; the cursor resumes from the last case. */
const MAX_PROBES = 300;

/**
 * The first `want` cases after `after` in time-left order. FerretDB sorts nothing and decodes
 * every match of a filter, so the order is walked: the days with running deadlines come from
 * the per-day counts (no empty day is probed), each read by equality and sorted here, a full
 * one hour by hour; then the undated cases through the reference buckets (listing.ts).
 * `density` is the share of all cases the filter matches, when the counts know it.
 */
export async function walkByDue<T extends DuePosition>(
  steps: DueWalkSteps<T>,
  counts: Readonly<Record<string, number>>,
  want: number,
  after: DuePosition | undefined,
  density: number | undefined,
): Promise<{ items: T[]; stoppedEarly: boolean }> {
  const items: T[] = [];
  const later = (item: T) => !after || compareByDue(item, after) > 0;
  let probes = 0;
  if (!after || after.nextDueAt) {
    const fromHour = after?.nextDueAt?.toISOString().slice(0, 13) ?? '';
    const fromDay = fromHour.slice(0, 10);
    for (const [day, count] of dueDays(counts)) {
      if (day < fromDay) continue;
      const buckets =
        count * (density ?? 1) > FULL_DAY
          ? hoursOf(day)
              .filter((hour) => hour >= fromHour)
              .map((hour) => () => steps.hour(hour))
          : [() => steps.day(day)];
      for (const read of buckets) {
        if (items.length >= want) return { items: items.slice(0, want), stoppedEarly: false };
        if (probes++ >= MAX_PROBES) return { items, stoppedEarly: true };
        items.push(...(await read()).filter(later).sort(compareByDue));
      }
    }
  }
  if (items.length >= want) return { items: items.slice(0, want), stoppedEarly: false };
  const before = after && !after.nextDueAt ? after.refKey : undefined;
  const rest = await steps.undated(want - items.length, before);
  return { items: [...items, ...rest.items], stoppedEarly: rest.stoppedEarly };
}
