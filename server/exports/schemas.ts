import { z } from 'zod';
import { Category } from '../../workflows/index.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

// A calendar date or a full timestamp with an offset; `2026-02-30` is refused, not rolled over.
const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'a date (2026-01-31) or a timestamp with an offset (2026-01-31T12:00:00Z)',
  })
  .refine((text) => !DATE_ONLY.test(text) || isRealDate(text), 'not a calendar date');

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

const FilterFields = {
  filedFrom: Instant.optional(),
  filedTo: Instant.optional(),
  state: z
    .string()
    .regex(/^[a-zA-Z]+(\.[a-zA-Z]+)?$/, 'a state such as platformReview or escalated.submitted')
    .optional(),
  category: Category.optional(),
  jurisdiction: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as CN or US')
    .optional(),
  consumerBody: z
    .string()
    .regex(/^[A-Za-z0-9-]{2,20}$/, 'a consumer body code such as 12315, CFPB, FTC, FOS, ADR-DE')
    .optional(),
};

/** The filing-date bounds of a filter: `filedAt >= from` and `filedAt < toBefore`. */
export function filedRange(filters: { filedFrom?: string; filedTo?: string }): {
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

function rangeIsOrdered(filters: { filedFrom?: string; filedTo?: string }): boolean {
  const { from, toBefore } = filedRange(filters);
  return !from || !toBefore || from.getTime() < toBefore.getTime();
}

const TO_BEFORE_FROM = { message: 'filedTo is before filedFrom', path: ['filedTo'] };

/**
 * What an export selects. Dates are UTC. A bare date in `filedTo` includes that whole day, so
 * `--from 2026-01-01 --to 2026-01-31` is all of January, which is what people mean by it.
 */
export const ExportFilters = z.strictObject(FilterFields).refine(rangeIsOrdered, TO_BEFORE_FROM);
export type ExportFilters = z.infer<typeof ExportFilters>;

export const ExportCasesQuery = z
  .strictObject({ format: ExportFormat.default('ndjson'), ...FilterFields })
  .refine(rangeIsOrdered, TO_BEFORE_FROM);
export type ExportCasesQuery = z.infer<typeof ExportCasesQuery>;

export const ListExportsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[0-9a-f]{24}$/i, 'not a valid cursor')
    .optional(),
});
export type ListExportsQuery = z.infer<typeof ListExportsQuery>;

export const EXPORT_STATUSES = ['running', 'completed', 'aborted'] as const;

export const ExportView = z
  .object({
    id: z.string(),
    by: z.object({ id: z.string(), role: z.string(), email: z.string().nullable() }),
    via: z.enum(['api', 'cli']),
    format: ExportFormat,
    filters: z.record(z.string(), z.string()),
    status: z.enum(EXPORT_STATUSES),
    cases: z.number().int(),
    bytes: z.number().int(),
    sha256: z.string().nullable(),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Export', description: 'One export of case histories, as recorded for audit' });
export type ExportView = z.infer<typeof ExportView>;

export const ExportPage = z
  .object({ items: z.array(ExportView), nextCursor: z.string().nullable() })
  .meta({ id: 'ExportPage' });
