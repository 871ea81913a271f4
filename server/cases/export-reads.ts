import type { Db, Document, Filter, FindCursor, ObjectId } from 'mongodb';
import { filedRange } from '../date-range.ts';
import { stateFilter } from './derived.ts';
import type { CaseRecord } from './model.ts';

/** Which cases a bulk reader (the compliance export) selects; dates are UTC instants or days. */
export interface CaseSelection {
  state?: string | undefined;
  category?: string | undefined;
  jurisdiction?: string | undefined;
  consumerBody?: string | undefined;
  filedFrom?: string | undefined;
  filedTo?: string | undefined;
}

/** A case as the driver returns it for bulk reads: the stored document but its state value. */
export type CaseForExport = Omit<CaseRecord, 'stateValue'> & { _id: ObjectId };

/** The database filter for a selection; only indexed fields, and no operator FerretDB lacks. */
export function selectionFilter(selection: CaseSelection): Filter<Document> {
  const filter: Filter<Document> = {};
  if (selection.state) Object.assign(filter, stateFilter(selection.state));
  if (selection.category) filter.category = selection.category;
  if (selection.jurisdiction) filter.jurisdiction = selection.jurisdiction;
  if (selection.consumerBody) filter.consumerBody = selection.consumerBody;
  const { from, toBefore } = filedRange(selection);
  if (from || toBefore) {
    filter.filedAt = { ...(from ? { $gte: from } : {}), ...(toBefore ? { $lt: toBefore } : {}) };
  }
  return filter;
}

/**
 * The cases module's read model for reading many cases at once, for modules that must not
 * touch the `cases` collection themselves.
 */
export function createCaseBulkReads(db: Db) {
  const cases = db.collection('cases');
  return {
    /** Without a filter the collection's own count answers at once; with one FerretDB scans. */
    count(selection: CaseSelection): Promise<number> {
      const filter = selectionFilter(selection);
      return Object.keys(filter).length === 0
        ? cases.estimatedDocumentCount()
        : cases.countDocuments(filter);
    },
    /**
     * The selected cases in the database's natural order (a sort makes FerretDB read and sort
     * the whole result before the first case comes out); the caller closes the cursor.
     */
    scan(selection: CaseSelection, batchSize: number): FindCursor<CaseForExport> {
      return cases
        .find(selectionFilter(selection), { projection: { stateValue: 0 } })
        .batchSize(batchSize) as unknown as FindCursor<CaseForExport>;
    },
  };
}
export type CaseBulkReads = ReturnType<typeof createCaseBulkReads>;
