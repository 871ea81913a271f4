import { randomBytes, randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
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
import { isDuplicateKey } from '../http/problem.ts';
import { changeId, type CaseChangeRecord } from '../cases/journal.ts';
import type { CaseRecord } from '../cases/model.ts';
import { GENESIS_HASH, sealEntry } from '../cases/timeline.ts';
import type { UserService } from '../users/service.ts';
import { CFPB_COLUMNS, mapCfpbRow, type CfpbCase, type CfpbRow } from './cfpb.ts';
import { csvRecords, parseRecord } from './csv-records.ts';
import { reserveReferences } from './references.ts';

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
 * One `imports` document: the atomic claim on a source record. Whether the record was
 * imported is read from the cases (is `caseId` there?), never from a status field here: a
 * status would need a second write per row, and FerretDB 1.24 hangs on a `bulkWrite` of a
 * hundred or more `updateOne`s (measured; see server/imports/README.md).
 */
interface ImportClaim {
  _id: string;
  source: 'cfpb';
  sourceId: string;
  caseId: Types.ObjectId;
  claimedAt: Date;
  /** Set for a whole batch at once, for people reading the collection. */
  importedAt: Date | null;
  runId: string;
  line: number;
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
}

export type ImportService = ReturnType<typeof createImportService>;

function tally(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** Indexes of the documents an unordered insertMany refused as duplicates; other errors throw. */
async function insertManyKeepingDuplicates(
  collection: Collection<never>,
  docs: object[],
): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
    if (!isDuplicateKey(error) || !writeErrors || writeErrors.some((w) => w.code !== 11000)) {
      throw error;
    }
    return new Set(writeErrors.map((w) => w.index));
  }
}

export function createImportService(deps: ImportServiceDeps) {
  const { connection, users, clock } = deps;
  const policy = deps.policy ?? DEFAULT_POLICY;
  const batchSize = deps.batchSize ?? 500;
  const db = (): Db => {
    if (!connection.db) throw new Error('the database connection is not open');
    return connection.db;
  };

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
      overdue: !terminal && row.deadlines.some((d) => d.status === 'missed'),
      evidenceCount: 0,
      timeline: [entry],
      lastHash: entry.hash,
      filedAt: row.filedAt,
      updatedAt: at,
    };
  }

  /**
   * Writes one batch. Each row is claimed first with an insert into `imports` (`_id`
   * `cfpb:<Complaint ID>`): a duplicate `_id` is refused atomically, so a row already imported
   * (or being imported by a concurrent run) is never written twice. Then, as when filing, the
   * version-1 journal entries carrying the whole case, the cases, and the journal marked
   * applied. A run that died half-way left claims without cases: after STALE_CLAIM_MS the next
   * run takes them over with the same case id, and the journal insert (unique `_id`) decides
   * between two runs taking over at once; an existing journal entry is rolled forward as is.
   */
  async function writeBatch(
    batch: PendingRow[],
    ownerId: Types.ObjectId,
    runId: string,
    summary: ImportSummary,
  ): Promise<void> {
    if (batch.length === 0) return;
    const now = clock.now();
    let __t = performance.now();
    const __lap = (l: string) => { const n = performance.now(); console.error(l, Math.round(n - __t)); __t = n; };
    const imports = db().collection<ImportClaim>('imports');
    const claims: ImportClaim[] = batch.map((row) => ({
      _id: `cfpb:${row.value.sourceId}`,
      source: 'cfpb',
      sourceId: row.value.sourceId,
      caseId: new Types.ObjectId(),
      claimedAt: now,
      importedAt: null,
      runId,
      line: row.line,
    }));
    const refused = await insertManyKeepingDuplicates(imports as never, claims);
    __lap('L21');
    const owned: { row: PendingRow; caseId: Types.ObjectId }[] = [];
    batch.forEach((row, index) => {
      if (!refused.has(index)) owned.push({ row, caseId: claims[index]!.caseId });
    });
    __lap('L25');
    if (refused.size > 0) {
      const existing = await imports
        .find({ _id: { $in: [...refused].map((index) => claims[index]!._id) } })
        .toArray();
      const written = await caseIdsPresent(existing.map((claim) => claim.caseId));
      const byId = new Map(existing.map((claim) => [claim._id, claim]));
      for (const index of refused) {
        const claim = byId.get(claims[index]!._id);
        if (!claim || written.has(String(claim.caseId))) {
          summary.alreadyImported++;
        } else if (now.getTime() - new Date(claim.claimedAt).getTime() >= STALE_CLAIM_MS) {
          owned.push({ row: batch[index]!, caseId: claim.caseId });
        } else {
          summary.busyElsewhere++;
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
    const references: string[] = new Array(owned.length);
    for (const [year, indexes] of byYear) {
      const reserved = await reserveReferences(db(), year, indexes.length);
      indexes.forEach((ownedIndex, i) => (references[ownedIndex] = reserved[i]!));
    }

    let records = owned.map((item, index) =>
      buildCase(
        item.row.value,
        { caseId: item.caseId, ownerId, reference: references[index]! },
        now,
      ),
    );
    const changes = db().collection<CaseChangeRecord>('case_changes');
    const journal = records.map((record) => ({
      _id: changeId(record._id, 1),
      caseId: record._id,
      version: 1,
      at: now,
      set: {},
      push: {},
      initial: record,
      entry: record.timeline[0]!,
      // Imports notify nobody: the complaints are history, not news.
      notifications: [],
      applied: false,
      relayed: true,
    }));
    const journalled = await insertManyKeepingDuplicates(changes as never, journal);
    __lap('L79');
    if (journalled.size > 0) {
      // Taken over from a dead run that got as far as the journal: its entry is the truth.
      const ids = [...journalled].map((index) => journal[index]!._id);
      const earlier = await changes.find({ _id: { $in: ids } }).toArray();
      const initial = new Map(earlier.map((change) => [change._id, change.initial]));
      records = records.map((record, index) =>
        journalled.has(index)
          ? ((initial.get(journal[index]!._id) as CaseRecord | null) ?? record)
          : record,
      );
    }
    await insertManyKeepingDuplicates(db().collection('cases') as never, records);
    __lap('L91');

    // Only rows whose case is really there count as imported; anything else is undone so the
    // next run tries again, and reported.
    const present = await caseIdsPresent(records.map((record) => record._id));
    __lap('L95');
    const done = records.filter((record) => present.has(String(record._id)));
    __lap('L96');
    const failed = owned.filter((_, index) => !present.has(String(records[index]!._id)));
    __lap('L97');
    await changes.updateMany(
      { _id: { $in: done.map((record) => changeId(record._id, 1)) } },
      { $set: { applied: true } },
    );
    __lap('L101');
    await imports.updateMany(
      { caseId: { $in: done.map((record) => record._id) } },
      { $set: { importedAt: now } },
    );
    __lap('L105');
    for (const record of done) {
      tally(summary.byState, record.state);
      tally(summary.byCategory, record.category);
    }
    summary.imported += done.length;
    if (failed.length > 0) {
      const ids = failed.map((item) => item.caseId);
      await changes.deleteMany({ caseId: { $in: ids }, applied: false });
      await imports.deleteMany({ caseId: { $in: ids } });
      for (const item of failed) {
        summary.skipped++;
        summary.problems.push({
          line: item.row.line,
          endLine: item.row.endLine,
          sourceId: item.row.value.sourceId,
          problem: 'the case could not be written (a reference collided); run the import again',
        });
      }
    }
  }

  /** Which of these case ids exist, as hex strings. */
  async function caseIdsPresent(ids: Types.ObjectId[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await db()
      .collection('cases')
      .find({ _id: { $in: ids } }, { projection: { _id: 1 } })
      .toArray();
    return new Set(found.map((doc) => String(doc._id)));
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
      input: AsyncIterable<Buffer | string>,
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
