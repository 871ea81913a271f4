import type { Collection, Db } from 'mongodb';
import type { Types } from 'mongoose';
import { insertManyTolerating } from '../db/duplicate-key.ts';
import { caseSearchTerms } from './derived.ts';
import { countDelta, createQueueCounts, type QueueMembership } from './queue-counts.ts';
import type { CaseRecord, CaseTermsRecord } from './model.ts';
import {
  createPageDirectory,
  placementOf,
  type PageDirectory,
  type PageDirectoryEntry,
} from './pages.ts';

type Searchable = Pick<CaseRecord, 'reference' | 'transaction' | 'respondent' | 'narrative'> & {
  _id: Types.ObjectId;
};

/**
 * The documents derived from new cases that lists and search read (the page directory and
 * the search terms), written before the cases themselves by filing and imports alike, so
 * that a case that exists is always found; leftovers of a case never written are harmless
 * (a list reads the case by `_id` and skips what is not there).
 */
export function createCaseReadModels(db: Db) {
  const directory: PageDirectory = createPageDirectory(
    db.collection<PageDirectoryEntry>('case_pages'),
  );
  const terms: Collection<CaseTermsRecord> = db.collection<CaseTermsRecord>('case_terms');
  const counts = createQueueCounts(db.collection('case_queue_counts'));

  return {
    directory,
    counts,
    /** Counts cases that were just written for the first time. */
    async countCreated(records: readonly QueueMembership[]): Promise<void> {
      const sum: Record<string, number> = {};
      for (const record of records) {
        for (const [key, value] of Object.entries(countDelta(null, record))) {
          sum[key] = (sum[key] ?? 0) + value;
        }
      }
      await counts.apply(sum);
    },
    async writeFor(records: readonly Searchable[]): Promise<void> {
      if (records.length === 0) return;
      await directory.claimFor(records.map((record) => record.reference));
      // A re-run of an interrupted import finds some there already.
      await insertManyTolerating(
        terms,
        records.map((record) => ({
          _id: record._id,
          terms: caseSearchTerms(record),
          ...placementOf(record.reference),
        })),
      );
    },
  };
}
export type CaseReadModels = ReturnType<typeof createCaseReadModels>;
