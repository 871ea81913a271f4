import { z } from 'zod';

/**
 * The one rule for filing-date filters, shared by `GET /cases` and the exports: dates are UTC,
 * and a bare date in `filedTo` includes that whole day, so `2026-01-01` to `2026-01-31` is all
 * of January, which is what people mean by it.
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** A calendar date or a full timestamp with an offset; `2026-02-30` is refused, not rolled over. */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'a date (2026-01-31) or a timestamp with an offset (2026-01-31T12:00:00Z)',
  })
  .refine((text) => !DATE_ONLY.test(text) || isRealDate(text), 'not a calendar date');

/** The bounds of a filter: `filedAt >= from` and `filedAt < toBefore`. */
export function filedRange(filters: {
  filedFrom?: string | undefined;
  filedTo?: string | undefined;
}): {
  from?: Date;
  toBefore?: Date;
} {
  const range: { from?: Date; toBefore?: Date } = {};
  if (filters.filedFrom) range.from = new Date(filters.filedFrom);
  if (filters.filedTo) {
    range.toBefore = DATE_ONLY.test(filters.filedTo)
      ? new Date(Date.parse(`${filters.filedTo}T00:00:00Z`) + DAY_MS)
      : new Date(Date.parse(filters.filedTo) + 1);
  }
  return range;
}

export function rangeIsOrdered(filters: {
  filedFrom?: string | undefined;
  filedTo?: string | undefined;
}): boolean {
  const { from, toBefore } = filedRange(filters);
  return !from || !toBefore || from.getTime() < toBefore.getTime();
}

export const TO_BEFORE_FROM = { message: 'filedTo is before filedFrom', path: ['filedTo'] };

/** The same bounds as a query on `filedAt`; undefined when neither is given. */
export function filedAtRange(
  filedFrom: string | undefined,
  filedTo: string | undefined,
): { $gte?: Date; $lt?: Date } | undefined {
  const { from, toBefore } = filedRange({ filedFrom, filedTo });
  if (!from && !toBefore) return undefined;
  return { ...(from ? { $gte: from } : {}), ...(toBefore ? { $lt: toBefore } : {}) };
}
