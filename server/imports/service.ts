import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { Types, type Connection } from 'mongoose';
import {
  DEFAULT_POLICY,
  MACHINE_VERSION,
  consumerBodyFor,
  isUrgent,
  pathToStateValue,
  type ComplaintContext,
  type WorkflowPolicy,
} from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import { AppError, ConflictError } from '../errors.ts';
import { insertManyTolerating } from '../db/duplicate-key.ts';
import type { CaseChangeRecord } from '../cases/journal.ts';
import type { CaseRecord } from '../cases/model.ts';
import { createReferenceAllocator, type ReferenceAllocator } from '../cases/references.ts';
import { createCaseReadModels } from '../cases/read-models.ts';
import { createCaseRepository, type CaseRepository } from '../cases/repository.ts';
import { dueHourOf, listingFields } from '../cases/derived.ts';
import { GENESIS_HASH, sealEntry } from '../cases/timeline.ts';
import type { UserService } from '../users/service.ts';
import { CFPB_COLUMNS, mapCfpbRow, type CfpbCase, type CfpbRow } from './cfpb.ts';
import { csvRecords, parseRecord } from './csv-records.ts';

/** The file as a whole cannot be imported (no header, not a CFPB file): nothing was written. */
export class ImportFileError extends AppError {
  constructor(detail: string) {
    super('import-file-invalid', 422, detail);
  }
}

/** Imported complaints need an owner; each source gets one disabled account (see README). */
export const IMPORT_ACCOUNTS = {
  cfpb: { email: 'imported-cfpb@redress.invalid', name: 'CFPB import (consumer not identified)' },
} as const;

export const IMPORT_ACTOR = { id: 'import', role: 'system' } as const;

/** A claim older than this whose import never finished is taken over by the next run. */
export const STALE_CLAIM_MS = 60_000;

export interface ImportProblem {
  line: number;
  /** Where the record ends when it spans several lines (quoted newlines). */
  endLine: number;
  sourceId: string | null;
  problem: string;
}

export interface ImportSummary {
  source: 'cfpb';
  rows: number;
  imported: number;
  alreadyImported: number;
  /** Rows another import run is writing right now; a later run picks them up if it dies. */
  busyElsewhere: number;
  skipped: number;
  problems: ImportProblem[];
  byState: Record<string, number>;
  byCategory: Record<string, number>;
  ignoredColumns: string[];
  durationMs: number;
}

export interface ImportProgress {
  bytes: number;
  rows: number;
  imported: number;
  skipped: number;
}

/**
 * One `imports` document: the atomic claim on a source record and the case id it will get.
 * It is never updated (see writeBatch); `import_results` says when the row is finished.
 */
interface ImportClaim {
  _id: string;
  source: 'cfpb';
  sourceId: string;
  caseId: Types.ObjectId;
  claimedAt: Date;
  runId: string;
  line: number;
}

/** Written once a row's case and journal entry are in: the row is finished. */
interface ImportResult {
  _id: string;
  caseId: Types.ObjectId;
  reference: string;
  runId: string;
  importedAt: Date;
}

interface PendingRow {
  line: number;
  endLine: number;
  value: CfpbCase;
}

export interface ImportServiceDeps {
  connection: Connection;
  users: UserService;
  clock: Clock;
  policy?: WorkflowPolicy;
  /** Rows written per round of inserts. */
  batchSize?: number;
  /** The one allocator filing uses too; by default this service makes its own on `connection`. */
  references?: ReferenceAllocator;
}

export type ImportService = ReturnType<typeof createImportService>;

function tally(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export function createImportService(deps: ImportServiceDeps) {
  const { connection, users, clock } = deps;
  const policy = deps.policy ?? DEFAULT_POLICY;
  const batchSize = deps.batchSize ?? 1000;
  const db = (): Db => {
    if (!connection.db) throw new Error('the database connection is not open');
    return connection.db;
  };
  let ownReferences: ReferenceAllocator | undefined;
  const references = () => deps.references ?? (ownReferences ??= createReferenceAllocator(db()));
  // Imports write cases through the same repository as filing, on their own connection.
  let ownRepository: CaseRepository | undefined;
  const repository = () =>
    (ownRepository ??= createCaseRepository({
      cases: db().collection<CaseRecord>('cases'),
      changes: db().collection<CaseChangeRecord>('case_changes'),
      readModels: createCaseReadModels(db()),
      clock,
    }));

  /** Creates the disabled owner account of a source once, and reuses it afterwards. */
  async function importAccount(source: keyof typeof IMPORT_ACCOUNTS): Promise<string> {
    const { email, name } = IMPORT_ACCOUNTS[source];
    const existing = await users.findByEmail(email);
    if (existing) return existing._id.toHexString();
    try {
      // Nobody signs in as it: a random password nobody knows, and the account is disabled.
      const created = await users.createUser({
        email,
        name,
        role: 'complainant',
        locale: 'en',
        password: randomBytes(32).toString('base64url'),
      });
      await users.update(created.id, { disabled: true });
      return created.id;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const raced = await users.findByEmail(email);
      if (!raced) throw error;
      return raced._id.toHexString();
    }
  }

  /** A complete case document for one mapped row, sealed with its IMPORTED genesis entry. */
  function buildCase(
    row: CfpbCase,
    ids: { caseId: Types.ObjectId; ownerId: Types.ObjectId; reference: string },
    at: Date,
  ): CaseRecord {
    const consumerBody = consumerBodyFor(policy, 'US', row.respondent.kind);
    const amount = { amountMinor: 0, currency: 'USD' };
    const context: ComplaintContext = {
      jurisdiction: 'US',
      category: row.category,
      urgent: isUrgent(row.category),
      filedAt: row.filedAt.toISOString(),
      assigneeId: null,
      consumerBody,
      holdingResponse: false,
      responseOutcome: row.responseOutcome,
      responseRejected: row.responseRejected,
      finalResponseMissed: row.finalResponseMissed,
      bodyReference: null,
      bodyDecision: null,
      legalOutcome: null,
      terminalAt: row.terminalAt?.toISOString() ?? null,
      reopenCount: 0,
    };
    const entry = sealEntry(GENESIS_HASH, {
      seq: 1,
      at: at.toISOString(),
      type: 'IMPORTED',
      actor: { ...IMPORT_ACTOR },
      fromState: null,
      toState: row.state,
      data: {
        source: 'cfpb',
        sourceId: row.sourceId,
        reference: ids.reference,
        category: row.category,
        jurisdiction: 'US',
        channel: 'import',
        amount,
        cfpb: row.provenance,
      },
    });
    const terminal = row.state === 'resolved' || row.state === 'closed';
    return {
      _id: ids.caseId,
      reference: ids.reference,
      machineVersion: MACHINE_VERSION,
      state: row.state,
      stateValue: pathToStateValue(row.state),
      context,
      version: 1,
      ownerId: ids.ownerId,
      filedById: ids.ownerId,
      assigneeId: null,
      category: row.category,
      urgent: isUrgent(row.category),
      jurisdiction: 'US',
      locale: 'en',
      channel: 'import',
      respondent: row.respondent,
      // The CFPB does not publish the transaction's date or amount: the date received and 0 stand in.
      transaction: { occurredAt: row.filedAt, amount },
      narrative: row.narrative,
      desiredOutcome: row.desiredOutcome,
      consumerBody,
      deadlines: row.deadlines,
      // Every imported clock is settled (met or missed), so the sweeper never fires on old cases.
      nextDueAt: null,
      dueHour: dueHourOf(null),
      overdue: !terminal && row.deadlines.some((d) => d.status === 'missed'),
      ...listingFields({ state: row.state, assigneeId: null, reference: ids.reference }),
      evidenceCount: 0,
      timeline: [entry],
      lastHash: entry.hash,
      filedAt: row.filedAt,
      updatedAt: at,
    };
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
  async function writeBatch(
    batch: PendingRow[],
    ownerId: Types.ObjectId,
    runId: string,
    summary: ImportSummary,
  ): Promise<void> {
    if (batch.length === 0) return;
    const now = clock.now();
    const imports = db().collection<ImportClaim>('imports');
    const results = db().collection<ImportResult>('import_results');
    const cases = db().collection('cases');
    const claims: ImportClaim[] = batch.map((row) => ({
      _id: `cfpb:${row.value.sourceId}`,
      source: 'cfpb',
      sourceId: row.value.sourceId,
      caseId: new Types.ObjectId(),
      claimedAt: now,
      runId,
      line: row.line,
    }));
    const refused = await insertManyTolerating(imports as never, claims);
    const owned: { row: PendingRow; caseId: Types.ObjectId }[] = [];
    batch.forEach((row, index) => {
      if (!refused.has(index)) owned.push({ row, caseId: claims[index]!.caseId });
    });
    // Refused rows: imported before (they have a result), being imported by a concurrent run,
    // or left half-done by a run that died. Only the small result and claim documents are
    // read in bulk; a case is looked up by _id (pushed down to SQLite) only for a dead run's rows.
    if (refused.size > 0) {
      const refusedIds = [...refused].map((index) => claims[index]!._id);
      const finished = new Set(
        (
          await results.find({ _id: { $in: refusedIds } }, { projection: { _id: 1 } }).toArray()
        ).map((result) => result._id),
      );
      const unfinished = [...refused].filter((index) => !finished.has(claims[index]!._id));
      summary.alreadyImported += refused.size - unfinished.length;
      const existing =
        unfinished.length === 0
          ? []
          : await imports
              .find({ _id: { $in: unfinished.map((index) => claims[index]!._id) } })
              .toArray();
      const byId = new Map(existing.map((claim) => [claim._id, claim]));
      for (const index of unfinished) {
        const claim = byId.get(claims[index]!._id);
        if (!claim || now.getTime() - new Date(claim.claimedAt).getTime() < STALE_CLAIM_MS) {
          summary.busyElsewhere++;
          continue;
        }
        const record = (await cases.findOne({ _id: claim.caseId })) as unknown as CaseRecord | null;
        if (record) {
          // The case made it (after its journal entry); only the result is missing.
          await insertManyTolerating(results as never, [resultOf(claim._id, record, runId, now)]);
          summary.alreadyImported++;
        } else {
          owned.push({ row: batch[index]!, caseId: claim.caseId });
        }
      }
    }
    if (owned.length === 0) return;

    // References by filing year, in file order.
    const byYear = new Map<number, number[]>();
    owned.forEach((item, index) => {
      const year = item.row.value.filedAt.getUTCFullYear();
      byYear.set(year, [...(byYear.get(year) ?? []), index]);
    });
    const reserved: string[] = new Array(owned.length);
    for (const [year, indexes] of byYear) {
      const forYear = await references().reserve(year, indexes.length);
      indexes.forEach((ownedIndex, i) => (reserved[ownedIndex] = forYear[i]!));
    }

    const records = owned.map((item, index) =>
      buildCase(item.row.value, { caseId: item.caseId, ownerId, reference: reserved[index]! }, now),
    );
    const refusedCases = await repository().insertManyNew(records, now);
    // A refused case is there already (a takeover raced another run) or its reference collided
    // with a case filed meanwhile; only the first counts as written.
    const written = records.map((_, index) => !refusedCases.has(index));
    for (const index of refusedCases) {
      if (await cases.findOne({ _id: records[index]!._id }, { projection: { _id: 1 } })) {
        written[index] = true;
      }
    }
    const done = records.filter((_, index) => written[index]);
    // Last: the result says the row is finished; a re-run reads only these small documents.
    await insertManyTolerating(
      results as never,
      done.map((record) => resultOf(`cfpb:${sourceIdOf(record)}`, record, runId, now)),
    );
    for (const record of done) {
      tally(summary.byState, record.state);
      tally(summary.byCategory, record.category);
    }
    summary.imported += done.length;
    for (const [index, item] of owned.entries()) {
      if (written[index]) continue;
      // Give the row back, so the next run imports it under a new case id. (Deletes scan on
      // FerretDB too, but this only happens when a reference collided.)
      await repository().discardUnwritten(item.caseId);
      await imports.deleteOne({ _id: `cfpb:${item.row.value.sourceId}`, caseId: item.caseId });
      summary.skipped++;
      summary.problems.push({
        line: item.row.line,
        endLine: item.row.endLine,
        sourceId: item.row.value.sourceId,
        problem: 'the case could not be written (its reference collided); run the import again',
      });
    }
  }

  function sourceIdOf(record: CaseRecord): string {
    return String((record.timeline[0]!.data as { sourceId: string }).sourceId);
  }

  function resultOf(id: string, record: CaseRecord, runId: string, at: Date): ImportResult {
    return { _id: id, caseId: record._id, reference: record.reference, runId, importedAt: at };
  }

  return {
    importAccount,

    /**
     * Imports a CFPB Consumer Complaint Database CSV. Good rows are written in batches; a bad
     * row (wrong number of fields, broken quoting, an invalid date, an unknown product, ...) is
     * reported with its line and skipped whole. Re-running the same file imports nothing
     * twice. Throws ImportFileError, before writing anything, when the file has no usable header.
     */
    async importCfpb(
      input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
      options: { onProgress?: (progress: ImportProgress) => void } = {},
    ): Promise<ImportSummary> {
      const started = performance.now();
      const runId = randomUUID();
      const summary: ImportSummary = {
        source: 'cfpb',
        rows: 0,
        imported: 0,
        alreadyImported: 0,
        busyElsewhere: 0,
        skipped: 0,
        problems: [],
        byState: {},
        byCategory: {},
        ignoredColumns: [],
        durationMs: 0,
      };
      let bytes = 0;
      const progress = () =>
        options.onProgress?.({
          bytes,
          rows: summary.rows,
          imported: summary.imported,
          skipped: summary.skipped,
        });
      const reject = (
        row: { line: number; endLine: number },
        sourceId: string | null,
        problem: string,
      ) => {
        summary.skipped++;
        summary.problems.push({ line: row.line, endLine: row.endLine, sourceId, problem });
      };

      let columns: Map<string, number> | undefined;
      let width = 0;
      let ownerId: Types.ObjectId | undefined;
      const seen = new Map<string, number>();
      let batch: PendingRow[] = [];

      for await (const record of csvRecords(input, (n) => (bytes += n))) {
        if (!columns) {
          const header = parseRecord(record, null);
          if (!header.ok)
            throw new ImportFileError(
              `The header (line ${record.line}) cannot be read: ${header.problem}.`,
            );
          const names = header.fields.map((field) => field.trim());
          const missing = CFPB_COLUMNS.filter((column) => !names.includes(column));
          if (missing.length > 0) {
            throw new ImportFileError(
              `The header (line ${record.line}) lacks the CFPB column(s) ${missing.map((m) => `"${m}"`).join(', ')}; is this a CFPB Consumer Complaint Database CSV?`,
            );
          }
          columns = new Map(names.map((name, index) => [name, index]));
          summary.ignoredColumns = names.filter(
            (name) => !(CFPB_COLUMNS as readonly string[]).includes(name),
          );
          width = names.length;
          ownerId = new Types.ObjectId(await importAccount('cfpb'));
          continue;
        }
        summary.rows++;
        const parsed = parseRecord(record, width);
        if (!parsed.ok) {
          reject(record, null, parsed.problem);
          progress();
          continue;
        }
        const row = Object.fromEntries(
          CFPB_COLUMNS.map((column) => [column, parsed.fields[columns!.get(column)!] ?? '']),
        ) as CfpbRow;
        const mapped = mapCfpbRow(row);
        const sourceId = row['Complaint ID'].trim() || null;
        if (!mapped.ok) {
          reject(record, sourceId, mapped.problems.join('; '));
          progress();
          continue;
        }
        const earlier = seen.get(mapped.value.sourceId);
        if (earlier !== undefined) {
          reject(
            record,
            sourceId,
            `Complaint ID ${mapped.value.sourceId} already appears on line ${earlier}`,
          );
          progress();
          continue;
        }
        seen.set(mapped.value.sourceId, record.line);
        batch.push({ line: record.line, endLine: record.endLine, value: mapped.value });
        if (batch.length >= batchSize) {
          await writeBatch(batch, ownerId!, runId, summary);
          batch = [];
        }
        progress();
      }
      if (!columns) throw new ImportFileError('The file is empty: no header, no rows.');
      await writeBatch(batch, ownerId!, runId, summary);
      progress();
      summary.durationMs = Math.round(performance.now() - started);
      return summary;
    },
  };
}
