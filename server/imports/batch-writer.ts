import type { Db } from 'mongodb';
import { Types } from 'mongoose';
import type { Clock } from '../clock.ts';
import { insertManyTolerating } from '../db/duplicate-key.ts';
import type { CaseRecord } from '../cases/model.ts';
import type { ReferenceAllocator } from '../cases/references.ts';
import type { CaseRepository } from '../cases/repository.ts';
import type { ImportedIds } from './imported-case.ts';
import { sourceIdOf } from './imported-case.ts';
import type { CfpbCase } from './cfpb.ts';
import { tally, type ImportSummary, type PendingRow } from './summary.ts';

/** A claim older than this whose import never finished is taken over by the next run. */
export const STALE_CLAIM_MS = 60_000;

/**
 * One `imports` document: the atomic claim on a source record and the case id it will get.
 * It is never updated (see createBatchWriter); `import_results` says when the row is finished.
 */
export interface ImportClaim {
  _id: string;
  source: 'cfpb';
  sourceId: string;
  caseId: Types.ObjectId;
  claimedAt: Date;
  runId: string;
  line: number;
}

/** Written once a row's case and journal entry are in: the row is finished. */
export interface ImportResult {
  _id: string;
  caseId: Types.ObjectId;
  reference: string;
  runId: string;
  importedAt: Date;
}

/** The claim and result bookkeeping of imports, and the few case reads a takeover needs. */
export interface ImportStore {
  /** Inserts the claims; answers the indexes refused as duplicates. */
  claim(claims: ImportClaim[]): Promise<Set<number>>;
  /** Which of these claim ids have a result (the row is finished). */
  finished(ids: string[]): Promise<Set<string>>;
  claimsById(ids: string[]): Promise<ImportClaim[]>;
  addResults(results: ImportResult[]): Promise<void>;
  /** Gives a row back, so that the next run imports it under a new case id. */
  releaseClaim(id: string, caseId: Types.ObjectId): Promise<void>;
  findCase(id: Types.ObjectId): Promise<CaseRecord | null>;
  caseExists(id: Types.ObjectId): Promise<boolean>;
}

/**
 * Inserts, and `$in` only over the small claim and result documents; a case is looked up by
 * `_id` (pushed down) only for a dead run's rows. See createBatchWriter for why.
 */
export function mongoImportStore(db: Db): ImportStore {
  const imports = db.collection<ImportClaim>('imports');
  const results = db.collection<ImportResult>('import_results');
  const cases = db.collection('cases');
  return {
    claim: (claims) => insertManyTolerating(imports as never, claims),
    async finished(ids) {
      const found = await results.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
      return new Set(found.map((result) => result._id));
    },
    claimsById: (ids) => imports.find({ _id: { $in: ids } }).toArray(),
    async addResults(added) {
      await insertManyTolerating(results as never, added);
    },
    async releaseClaim(id, caseId) {
      await imports.deleteOne({ _id: id, caseId });
    },
    findCase: async (id) => (await cases.findOne({ _id: id })) as unknown as CaseRecord | null,
    caseExists: async (id) => !!(await cases.findOne({ _id: id }, { projection: { _id: 1 } })),
  };
}

export interface BatchWriterDeps {
  store: ImportStore;
  references: Pick<ReferenceAllocator, 'reserve'>;
  repository: Pick<CaseRepository, 'insertManyNew' | 'discardUnwritten'>;
  clock: Clock;
  buildCase(row: CfpbCase, ids: ImportedIds, at: Date): CaseRecord;
}

type Owned = { row: PendingRow; caseId: Types.ObjectId };

function resultOf(id: string, record: CaseRecord, runId: string, at: Date): ImportResult {
  return { _id: id, caseId: record._id, reference: record.reference, runId, importedAt: at };
}

/** References by filing year, in file order. */
async function reserveReferences(
  references: BatchWriterDeps['references'],
  owned: readonly Owned[],
): Promise<string[]> {
  const byYear = new Map<number, number[]>();
  owned.forEach((item, index) => {
    const year = item.row.value.filedAt.getUTCFullYear();
    byYear.set(year, [...(byYear.get(year) ?? []), index]);
  });
  const reserved: string[] = new Array(owned.length);
  for (const [year, indexes] of byYear) {
    const forYear = await references.reserve(year, indexes.length);
    indexes.forEach((ownedIndex, i) => (reserved[ownedIndex] = forYear[i]!));
  }
  return reserved;
}

/**
 * Refused rows: imported before (they have a result), being imported by a concurrent run,
 * or left half-done by a run that died; the last are taken over once their claim is stale.
 */
async function takeOver(
  store: ImportStore,
  refused: Set<number>,
  claims: readonly ImportClaim[],
  batch: readonly PendingRow[],
  context: { now: Date; runId: string; summary: ImportSummary },
): Promise<Owned[]> {
  const { now, runId, summary } = context;
  const finished = await store.finished([...refused].map((index) => claims[index]!._id));
  const unfinished = [...refused].filter((index) => !finished.has(claims[index]!._id));
  summary.alreadyImported += refused.size - unfinished.length;
  const existing =
    unfinished.length === 0
      ? []
      : await store.claimsById(unfinished.map((index) => claims[index]!._id));
  const byId = new Map(existing.map((claim) => [claim._id, claim]));
  const owned: Owned[] = [];
  for (const index of unfinished) {
    const claim = byId.get(claims[index]!._id);
    if (!claim || now.getTime() - new Date(claim.claimedAt).getTime() < STALE_CLAIM_MS) {
      summary.busyElsewhere++;
      continue;
    }
    const record = await store.findCase(claim.caseId);
    if (record) {
      // The case made it (after its journal entry); only the result is missing.
      await store.addResults([resultOf(claim._id, record, runId, now)]);
      summary.alreadyImported++;
    } else {
      owned.push({ row: batch[index]!, caseId: claim.caseId });
    }
  }
  return owned;
}

/** Step 1: the rows this run owns, with the case id each will get. */
async function claimRows(
  store: ImportStore,
  batch: readonly PendingRow[],
  context: { now: Date; runId: string; summary: ImportSummary },
): Promise<Owned[]> {
  const claims: ImportClaim[] = batch.map((row) => ({
    _id: `cfpb:${row.value.sourceId}`,
    source: 'cfpb',
    sourceId: row.value.sourceId,
    caseId: new Types.ObjectId(),
    claimedAt: context.now,
    runId: context.runId,
    line: row.line,
  }));
  const refused = await store.claim(claims);
  const owned: Owned[] = [];
  batch.forEach((row, index) => {
    if (!refused.has(index)) owned.push({ row, caseId: claims[index]!.caseId });
  });
  if (refused.size > 0) owned.push(...(await takeOver(store, refused, claims, batch, context)));
  return owned;
}

/** Steps 2 to 4 for the owned rows; answers which of them were written. */
async function writeOwned(
  deps: BatchWriterDeps,
  owned: readonly Owned[],
  context: { ownerId: Types.ObjectId; runId: string; now: Date },
) {
  const { store, references, repository, buildCase } = deps;
  const { ownerId, runId, now } = context;
  const reserved = await reserveReferences(references, owned);
  const records = owned.map((item, index) =>
    buildCase(item.row.value, { caseId: item.caseId, ownerId, reference: reserved[index]! }, now),
  );
  const refusedCases = await repository.insertManyNew(records, now);
  // A refused case is there already (a takeover raced another run) or its reference collided
  // with a case filed meanwhile; only the first counts as written.
  const written = records.map((_, index) => !refusedCases.has(index));
  for (const index of refusedCases) {
    if (await store.caseExists(records[index]!._id)) written[index] = true;
  }
  const done = records.filter((_, index) => written[index]);
  // Last: the result says the row is finished; a re-run reads only these small documents.
  await store.addResults(
    done.map((record) => resultOf(`cfpb:${sourceIdOf(record)}`, record, runId, now)),
  );
  return { written, done };
}

/**
 * Writes one batch, with inserts only.
 *
 * 1. Each row is claimed with an insert into `imports` (`_id` `cfpb:<Complaint ID>`): a
 *    duplicate `_id` is refused atomically, so a row already imported, or being imported by
 *    a concurrent run, is never written twice.
 * 2. Their version-1 journal entries, as filing writes them: born applied (a new case id
 *    cannot collide), no notifications (imports notify nobody: the complaints are history),
 *    so `relayed`.
 * 3. The cases, whole (version 1, sealed IMPORTED entry).
 * 4. An `import_results` document per row: the row is finished.
 *
 * No updates and no `$in` over case documents: on FerretDB's SQLite backend an update by
 * `_id` scans the collection (measured: 8 ms each at 500 cases, 40 ms at 5,000; a bulkWrite
 * of 100 `updateOne`s hung the database) and a `$in` over 500 case ids took 6 s at 6,664
 * cases, while batched inserts and `$in` over the small claim and result documents stay
 * fast. A run that died between the steps left claims without a result: after
 * STALE_CLAIM_MS the next run finishes them with the claim's case id (journal and case
 * inserts that were already done are refused as duplicates and count as done).
 */
export function createBatchWriter(deps: BatchWriterDeps) {
  const { store, repository, clock } = deps;
  return async function writeBatch(
    batch: PendingRow[],
    ownerId: Types.ObjectId,
    runId: string,
    summary: ImportSummary,
  ): Promise<void> {
    if (batch.length === 0) return;
    const now = clock.now();
    const owned = await claimRows(store, batch, { now, runId, summary });
    if (owned.length === 0) return;
    const { written, done } = await writeOwned(deps, owned, { ownerId, runId, now });
    for (const record of done) {
      tally(summary.byState, record.state);
      tally(summary.byCategory, record.category);
    }
    summary.imported += done.length;
    for (const [index, item] of owned.entries()) {
      if (written[index]) continue;
      // Give the row back, so the next run imports it under a new case id. (Deletes scan on
      // FerretDB too, but this only happens when a reference collided.)
      await repository.discardUnwritten(item.caseId);
      await store.releaseClaim(`cfpb:${item.row.value.sourceId}`, item.caseId);
      summary.skipped++;
      summary.problems.push({
        line: item.row.line,
        endLine: item.row.endLine,
        sourceId: item.row.value.sourceId,
        problem: 'the case could not be written (its reference collided); run the import again',
      });
    }
  };
}
export type WriteBatch = ReturnType<typeof createBatchWriter>;
