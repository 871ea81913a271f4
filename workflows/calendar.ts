import type { BusinessCalendar, DeadlineUnit, Duration } from './policy.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Weekends are weekends, nothing else is special: the calendar for hour and calendar-day clocks. */
export const PLAIN_CALENDAR: BusinessCalendar = Object.freeze({
  holidays: [],
  makeUpWorkingDays: [],
  utcOffsetMinutes: 0,
});

function toMs(iso: string, label: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${label} is not an ISO date-time: ${iso}`);
  return ms;
}

// Day arithmetic runs on "local" milliseconds (UTC shifted by the calendar's offset), so a day
// boundary is midnight where the complaint is handled, not midnight in Greenwich.
function localDate(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 10);
}

type DayTest = (localDayStartMs: number) => boolean;

function workingDayTest(unit: DeadlineUnit, calendar: BusinessCalendar): DayTest {
  if (unit === 'hours' || unit === 'calendarDays') return () => true;
  const holidays = new Set(calendar.holidays);
  const makeUp = unit === 'workingDays' ? new Set(calendar.makeUpWorkingDays) : new Set<string>();
  return (dayStart) => {
    const date = localDate(dayStart);
    if (holidays.has(date)) return false;
    const weekday = new Date(dayStart).getUTCDay();
    return (weekday !== 0 && weekday !== 6) || makeUp.has(date);
  };
}

/**
 * Whether `date` (`YYYY-MM-DD`) counts for a clock of `unit`: business days are Monday to Friday
 * minus holidays; working days also count the make-up days (China's 调休 weekends).
 */
export function isWorkingDay(
  date: string,
  unit: DeadlineUnit,
  calendar: BusinessCalendar,
): boolean {
  return workingDayTest(unit, calendar)(toMs(`${date}T00:00:00Z`, 'date'));
}

const startOfDay = (localMs: number): number => Math.floor(localMs / DAY_MS) * DAY_MS;

// Spends `ms` of time that falls on working days, skipping the days that don't count.
function consumeWorkingTime(localMs: number, ms: number, counts: DayTest): number {
  let at = localMs;
  let left = ms;
  while (left > 0) {
    const dayStart = startOfDay(at);
    const dayEnd = dayStart + DAY_MS;
    if (!counts(dayStart)) {
      at = dayEnd;
      continue;
    }
    if (left <= dayEnd - at) return at + left;
    left -= dayEnd - at;
    at = dayEnd;
  }
  return at;
}

/**
 * When a clock of `duration` started at `startIso` runs out (ISO, UTC).
 *
 * A day-based clock is spent as counting time: each business (or working) day is the 24 hours
 * of a counting day, non-counting days are skipped. Started on a counting day, n days end at the
 * same time of day on the n-th counting day after it (1 business day from Friday 10:00 is Monday
 * 10:00). Started on a non-counting day, the clock starts at midnight of the next counting day,
 * so 1 business day from Saturday ends at the end of Monday. The same rule spends the fractional
 * time a paused clock resumes with, which makes `remainingDuration` its exact inverse.
 */
export function addDuration(
  startIso: string,
  duration: Duration,
  calendar: BusinessCalendar = PLAIN_CALENDAR,
): string {
  const start = toMs(startIso, 'start');
  const { amount, unit } = duration;
  if (!Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`a duration must be a non-negative number, got ${amount}`);
  }
  if (unit === 'hours') return new Date(start + Math.round(amount * HOUR_MS)).toISOString();
  if (unit === 'calendarDays') return new Date(start + Math.round(amount * DAY_MS)).toISOString();

  const offset = calendar.utcOffsetMinutes * 60_000;
  const end = consumeWorkingTime(
    start + offset,
    Math.round(amount * DAY_MS),
    workingDayTest(unit, calendar),
  );
  return new Date(end - offset).toISOString();
}

/**
 * How much of a clock is left at `nowIso` when it would run out at `dueIso`, in the clock's own
 * unit: the value a paused deadline stores and resumes with.
 *
 * Day amounts are fractional: the hours left on counting days divided by 24, so pausing at
 * Wednesday 16:00 a deadline due the next Monday 10:00 leaves 2.75 business days (8 h on
 * Wednesday, all of Thursday and Friday, 10 h on Monday). `addDuration` spends it back the same
 * way, so a clock paused and resumed at once keeps its due time.
 * Never negative: an overdue clock has nothing left.
 */
export function remainingDuration(
  nowIso: string,
  dueIso: string,
  unit: DeadlineUnit,
  calendar: BusinessCalendar = PLAIN_CALENDAR,
): Duration {
  const now = toMs(nowIso, 'now');
  const due = toMs(dueIso, 'due');
  if (due <= now) return { amount: 0, unit };
  if (unit === 'hours') return { amount: (due - now) / HOUR_MS, unit };
  if (unit === 'calendarDays') return { amount: (due - now) / DAY_MS, unit };

  const offset = calendar.utcOffsetMinutes * 60_000;
  const counts = workingDayTest(unit, calendar);
  const from = now + offset;
  const to = due + offset;
  let counted = 0;
  for (let dayStart = startOfDay(from); dayStart < to; dayStart += DAY_MS) {
    if (!counts(dayStart)) continue;
    counted += Math.min(to, dayStart + DAY_MS) - Math.max(from, dayStart);
  }
  return { amount: counted / DAY_MS, unit };
}
