import { Readable } from 'node:stream';
import type { Document, Filter, ObjectId } from 'mongodb';
import { selectionFilter, type CaseBulkReads } from '../cases/export-reads.ts';
import type { DeliveryReads } from '../notifications/read-models.ts';
import type { ExportFilters } from './schemas.ts';
import {
  toExportedCase,
  type StoredCase,
  type StoredDelivery,
  type TimelinessBasis,
} from './document.ts';

/** Deliveries are fetched for this many cases at a time, with one `$in` query. */
export const DELIVERY_BATCH = 100;

/** The database filter for an export (the cases module's, for the same selection). */
export function caseFilter(filters: ExportFilters): Filter<Document> {
  return selectionFilter(filters);
}

export interface CaseSourceDeps {
  cases: Pick<CaseBulkReads, 'scan'>;
  deliveries: DeliveryReads;
  /** Every case's timeliness is judged by this policy as of this instant (the export's start). */
  timeliness: TimelinessBasis;
}

/**
 * The cases of an export as a stream of exported-case objects, read from one database cursor.
 *
 * It is pulled, never pushed: `Readable.from` asks the generator for the next case only when
 * the consumer below has room, so a slow client slows the cursor down instead of filling
 * memory. At most DELIVERY_BATCH cases (and their deliveries) are held at a time. Destroying
 * the stream (a client that went away) returns the generator, which closes the cursor.
 *
 * Cases come in the database's natural order (insertion order on FerretDB's SQLite backend),
 * not sorted: a sort makes FerretDB read and sort the whole result in its own memory before
 * the first case comes out (measured: 4.5 s to the first of 6,664 cases, 0.1 s without).
 */
export function caseSource(
  deps: CaseSourceDeps,
  filters: ExportFilters,
  onCase: (count: number) => void = () => {},
): Readable {
  async function* generate() {
    const cursor = deps.cases.scan(filters, DELIVERY_BATCH);
    let count = 0;
    try {
      let batch: StoredCase[] = [];
      for await (const doc of cursor) {
        batch.push(doc as unknown as StoredCase);
        if (batch.length < DELIVERY_BATCH) continue;
        for (const exported of await withDeliveries(deps, batch)) {
          yield exported;
          onCase(++count);
        }
        batch = [];
      }
      for (const exported of await withDeliveries(deps, batch)) {
        yield exported;
        onCase(++count);
      }
    } finally {
      await cursor.close();
    }
  }
  return Readable.from(generate(), { objectMode: true, highWaterMark: 16 });
}

async function withDeliveries(deps: CaseSourceDeps, batch: StoredCase[]) {
  if (batch.length === 0) return [];
  const ids: ObjectId[] = batch.map((c) => c._id);
  const deliveries: StoredDelivery[] = await deps.deliveries.ofCases(ids);
  const byCase = new Map<string, StoredDelivery[]>();
  for (const delivery of deliveries) {
    const key = String(delivery.caseId);
    const list = byCase.get(key) ?? [];
    list.push(delivery);
    byCase.set(key, list);
  }
  return batch.map((record) => {
    const own = (byCase.get(record._id.toHexString()) ?? []).sort(
      (a, b) => (a.entrySeq ?? 0) - (b.entrySeq ?? 0) || String(a._id).localeCompare(String(b._id)),
    );
    return toExportedCase(record, own, deps.timeliness);
  });
}
