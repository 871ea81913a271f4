import type { CaseChangeModel } from '../cases/journal.ts';
import type { CaseModel } from '../cases/model.ts';
import type { CaseActor, CaseService } from '../cases/service.ts';
import type { Clock } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { assertAccepting, createAdding } from './adding.ts';
import { createDownloads } from './download.ts';
import { createCollector } from './gc.ts';
import type { EvidenceCheckModel, EvidenceRefModel } from './gc-model.ts';
import { createFlagging } from './integrity.ts';
import { createReferenceCheck } from './references.ts';
import type { EvidenceItem } from './schemas.ts';
import type { EvidenceStore } from './store.ts';
import { sweepTempFiles } from './temp-files.ts';
import { toEvidenceFacts, totalBytes, type EvidenceLimits, type EvidenceListing } from './views.ts';

export type { Download } from './download.ts';
export type { CollectionResult } from './gc.ts';
export { IntegrityError } from './integrity.ts';
export {
  toEvidenceFacts,
  type EvidenceFacts,
  type EvidenceLimits,
  type EvidenceListing,
  type UploadOutcome,
} from './views.ts';

export interface EvidenceServiceDeps {
  cases: CaseService;
  /** Read only, for the collector's "is this hash referenced" queries; writes go through `cases`. */
  caseRecords: CaseModel;
  caseChanges: CaseChangeModel;
  /** The collector's bookkeeping (gc-model.ts). */
  refs: EvidenceRefModel;
  checks: EvidenceCheckModel;
  store: EvidenceStore;
  clock: Clock;
  /** Wall-clock time for ages in the store (not `clock`, which tests move by months). */
  wallClock?: () => number;
  logger: Logger;
  limits: EvidenceLimits;
  /** Where uploads are staged; on the store's disk for the fs backend, so a move is a rename. */
  tempDir: string;
  tempMaxAgeMs: number;
  gcGraceMs: number;
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;

/**
 * Evidence files: adding them to a case (adding.ts), reading them back verified against their
 * hash (download.ts, integrity.ts), and collecting bytes no case holds any more (gc.ts).
 */
export function createEvidenceService(deps: EvidenceServiceDeps) {
  const { cases, caseRecords, caseChanges, refs, checks, store, clock, logger, limits } = deps;
  const wallNow = deps.wallClock ?? (() => Date.now());
  const flagLoudly = createFlagging({ cases, clock, logger });
  const references = createReferenceCheck({ caseRecords, caseChanges, refs });

  async function findItem(
    actor: CaseActor,
    caseId: string,
    evidenceId: string,
  ): Promise<EvidenceItem> {
    const record = await cases.loadVisible(actor, caseId);
    const item = (record.evidence ?? []).find((candidate) => candidate.id === evidenceId);
    if (!item) throw new NotFoundError('evidence');
    return item;
  }

  return {
    limits,
    backend: store.backend,
    tempDir: deps.tempDir,

    /**
     * Checks, before a byte of the upload is read, that `actor` may add evidence to the case now
     * (404 for a stranger, 409 once closed or withdrawn), and says how much the case may still
     * take.
     */
    async prepareUpload(actor: CaseActor, caseId: string): Promise<{ remainingCaseBytes: number }> {
      const record = await cases.loadVisible(actor, caseId);
      assertAccepting(record);
      return { remainingCaseBytes: limits.maxCaseBytes - totalBytes(record) };
    },

    addEvidence: createAdding({ cases, refs, checks, store, clock, wallNow, logger, limits }),

    /** The case's evidence, oldest first. */
    async list(actor: CaseActor, caseId: string): Promise<EvidenceListing> {
      const record = await cases.loadVisible(actor, caseId);
      const evidence = record.evidence ?? [];
      return {
        caseId,
        items: evidence.map(toEvidenceFacts),
        totalBytes: totalBytes(record),
        limits: { ...limits },
      };
    },

    /** One item, access-checked like its case. */
    find: findItem,

    download: createDownloads({ store, flagLoudly }),

    sweepTempFiles: (olderThanMs = deps.tempMaxAgeMs) =>
      sweepTempFiles({ tempDir: deps.tempDir, wallNow, logger }, olderThanMs),

    collectGarbage: createCollector({
      caseRecords,
      caseChanges,
      refs,
      checks,
      store,
      references,
      wallNow,
      logger,
      gcGraceMs: deps.gcGraceMs,
    }),
  };
}
