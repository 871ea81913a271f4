import { join } from 'node:path';
import type { Connection } from 'mongoose';
import type { CaseChangeModel } from '../cases/journal.ts';
import type { CaseModel } from '../cases/model.ts';
import type { CaseService } from '../cases/service.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createFsStore } from './fs-store.ts';
import type { EvidenceCheckModel, EvidenceRefModel } from './gc-model.ts';
import { createGridFsStore } from './gridfs-store.ts';
import { createEvidenceService, type EvidenceService } from './service.ts';

/** Builds the evidence service on the storage backend the configuration names. */
export function createEvidence(deps: {
  config: Pick<Config, 'uploadDir' | 'evidence'>;
  connection: Connection;
  cases: CaseService;
  caseRecords: CaseModel;
  caseChanges: CaseChangeModel;
  refs: EvidenceRefModel;
  checks: EvidenceCheckModel;
  clock: Clock;
  logger: Logger;
  wallClock?: () => number;
}): EvidenceService {
  const { config, connection } = deps;
  // Staged uploads live under the upload root even with GridFS: on the fs backend that makes
  // the move into place a rename on one file system.
  const tempDir = join(config.uploadDir, '.tmp');
  const store =
    config.evidence.storage === 'gridfs'
      ? createGridFsStore(connection.db!)
      : createFsStore(config.uploadDir, tempDir);
  return createEvidenceService({
    cases: deps.cases,
    caseRecords: deps.caseRecords,
    caseChanges: deps.caseChanges,
    refs: deps.refs,
    checks: deps.checks,
    store,
    clock: deps.clock,
    ...(deps.wallClock ? { wallClock: deps.wallClock } : {}),
    logger: deps.logger,
    limits: {
      maxFileBytes: config.evidence.maxFileBytes,
      maxFiles: config.evidence.maxFiles,
      maxCaseBytes: config.evidence.maxCaseBytes,
    },
    tempDir,
    tempMaxAgeMs: config.evidence.tempMaxAgeMs,
    gcGraceMs: config.evidence.gcGraceMs,
  });
}
