import { Types } from 'mongoose';
import { CATEGORIES, type Category } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import { ValidationError } from '../errors.ts';
import type { SelfHelpOutcomeModel, SelfHelpOutcomeRecord } from './model.ts';
import {
  MAX_RANGE_DAYS,
  selfHelpRange,
  type SelfHelpCounts,
  type SelfHelpCountsQuery,
} from './schemas.ts';

const DAY_MS = 86_400_000;
/** Without `from`, the counts cover the last 30 UTC days (today included). */
const DEFAULT_DAYS = 30;

export type SelfHelpService = ReturnType<typeof createSelfHelpService>;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** "This solved it" outcomes: recorded one document each, counted per category and range. */
export function createSelfHelpService(deps: { outcomes: SelfHelpOutcomeModel; clock: Clock }) {
  const { outcomes, clock } = deps;

  /** `[from, toBefore)` with the defaults filled in, refused when it is too long to read. */
  function rangeOf(query: SelfHelpCountsQuery): { from: number; toBefore: number } {
    const given = selfHelpRange(query);
    const now = clock.now().getTime();
    const toBefore = given.toBefore?.getTime() ?? now + 1;
    const from = given.from?.getTime() ?? startOfDay(toBefore - 1) - (DEFAULT_DAYS - 1) * DAY_MS;
    if (from >= toBefore) {
      throw new ValidationError('The query is not valid.', [
        { path: 'to', message: 'to is before from' },
      ]);
    }
    if (startOfDay(toBefore - 1) - startOfDay(from) >= MAX_RANGE_DAYS * DAY_MS) {
      throw new ValidationError('The query is not valid.', [
        { path: 'from', message: `at most ${MAX_RANGE_DAYS} days at a time` },
      ]);
    }
    return { from, toBefore };
  }

  return {
    /** Records one outcome; an insert, so concurrent ones are never lost. */
    async record(category: Category): Promise<void> {
      const at = clock.now();
      await outcomes.collection.insertOne({
        _id: new Types.ObjectId(),
        category,
        day: dayOf(at.getTime()),
        at,
      });
    },

    /**
     * Counts by category, every category present. Read day by day by `day` equality (which
     * FerretDB hands to PostgreSQL's index); the range's first and last days are trimmed to
     * the exact instants here.
     */
    async counts(query: SelfHelpCountsQuery): Promise<SelfHelpCounts> {
      const { from, toBefore } = rangeOf(query);
      const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<
        Category,
        number
      >;
      let total = 0;
      for (let day = startOfDay(from); day < toBefore; day += DAY_MS) {
        const rows = await outcomes
          .find({ day: dayOf(day) }, { category: 1, at: 1 })
          .lean<Pick<SelfHelpOutcomeRecord, 'category' | 'at'>[]>();
        for (const row of rows) {
          const at = row.at.getTime();
          if (at < from || at >= toBefore || !Object.hasOwn(byCategory, row.category)) continue;
          byCategory[row.category as Category]++;
          total++;
        }
      }
      return {
        from: new Date(from).toISOString(),
        to: new Date(toBefore).toISOString(),
        total,
        byCategory,
      };
    },
  };
}
