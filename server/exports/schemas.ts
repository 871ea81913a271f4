import { z } from 'zod';
import { PageLimit, objectIdString } from '../query-schemas.ts';
import { Category } from '../../workflows/index.ts';
import { Instant, TO_BEFORE_FROM, rangeIsOrdered } from '../date-range.ts';

export { filedRange } from '../date-range.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

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
  limit: PageLimit,
  cursor: objectIdString('cursor').optional(),
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
