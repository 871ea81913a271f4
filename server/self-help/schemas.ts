import { z } from 'zod';
import { CATEGORIES, Category } from '../../workflows/index.ts';
import { Instant, filedRange } from '../date-range.ts';

export const SelfHelpSolvedRequest = z
  .strictObject({ category: Category })
  .meta({ id: 'SelfHelpSolvedRequest' });
export type SelfHelpSolvedRequest = z.infer<typeof SelfHelpSolvedRequest>;

/** The longest range one request may count (each day is one indexed read). */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** The range in the conventions of server/date-range.ts: a bare `to` date includes that day. */
export function selfHelpRange(query: { from?: string | undefined; to?: string | undefined }) {
  const { from, toBefore } = filedRange({ filedFrom: query.from, filedTo: query.to });
  return { from, toBefore };
}

export const SelfHelpCountsQuery = z
  .strictObject({ from: Instant.optional(), to: Instant.optional() })
  .superRefine((query, ctx) => {
    const { from, toBefore } = selfHelpRange(query);
    if (from && toBefore && from.getTime() >= toBefore.getTime()) {
      ctx.addIssue({ code: 'custom', message: 'to is before from', path: ['to'] });
    } else if (from && toBefore && toBefore.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_RANGE_DAYS} days at a time`,
        path: ['to'],
      });
    }
  });
export type SelfHelpCountsQuery = z.infer<typeof SelfHelpCountsQuery>;

export const SelfHelpCounts = z
  .object({
    /** The counted range: `from` inclusive, `to` exclusive (ISO timestamps). */
    from: z.string(),
    to: z.string(),
    total: z.number().int(),
    byCategory: z.object(
      Object.fromEntries(CATEGORIES.map((c) => [c, z.number().int()])) as Record<
        Category,
        z.ZodNumber
      >,
    ),
  })
  .meta({ id: 'SelfHelpCounts' });
export type SelfHelpCounts = z.infer<typeof SelfHelpCounts>;
