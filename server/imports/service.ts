import type { Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { DEFAULT_POLICY, type WorkflowPolicy } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import type { CaseChangeRecord } from '../cases/journal.ts';
import type { CaseRecord } from '../cases/model.ts';
import { createCaseReadModels } from '../cases/read-models.ts';
import { createReferenceAllocator, type ReferenceAllocator } from '../cases/references.ts';
import { createCaseRepository } from '../cases/repository.ts';
import type { UserService } from '../users/service.ts';
import { createImportAccount } from './account.ts';
import { createBatchWriter, mongoImportStore, type WriteBatch } from './batch-writer.ts';
import { buildImportedCase } from './imported-case.ts';
import { createCfpbImport } from './run.ts';

export { IMPORT_ACCOUNTS } from './account.ts';
export { STALE_CLAIM_MS } from './batch-writer.ts';
export { IMPORT_ACTOR } from './imported-case.ts';
export { ImportFileError } from './rows.ts';
export type { ImportProblem, ImportProgress, ImportSummary } from './summary.ts';

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

/**
 * Imports of complaint history: the file read and mapped row by row (rows.ts, run.ts), the
 * rows written in batches through the cases repository (batch-writer.ts), owned by one
 * disabled account per source (account.ts).
 */
export function createImportService(deps: ImportServiceDeps) {
  const { connection, users, clock } = deps;
  const policy = deps.policy ?? DEFAULT_POLICY;
  const db = (): Db => {
    if (!connection.db) throw new Error('the database connection is not open');
    return connection.db;
  };
  // Built on first use: the connection may open after the service is made. Imports write
  // cases through the same repository as filing, on their own connection.
  let writer: WriteBatch | undefined;
  const batchWriter = (): WriteBatch =>
    (writer ??= createBatchWriter({
      store: mongoImportStore(db()),
      references: deps.references ?? createReferenceAllocator(db()),
      repository: createCaseRepository({
        cases: db().collection<CaseRecord>('cases'),
        changes: db().collection<CaseChangeRecord>('case_changes'),
        readModels: createCaseReadModels(db()),
        clock,
      }),
      clock,
      buildCase: (row, ids, at) => buildImportedCase(policy, row, ids, at),
    }));
  // An empty batch (the last of every run) touches nothing, not even the connection.
  const writeBatch: WriteBatch = async (batch, ...rest) => {
    if (batch.length > 0) await batchWriter()(batch, ...rest);
  };
  const importAccount = createImportAccount({ users });

  return {
    importAccount,
    importCfpb: createCfpbImport({ importAccount, writeBatch, batchSize: deps.batchSize ?? 1000 }),
  };
}
