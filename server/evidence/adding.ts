import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { retryOnConflict } from '../cases/retry.ts';
import type { CaseActor, CaseService } from '../cases/service.ts';
import type { CaseRecord } from '../cases/model.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, PayloadTooLargeError } from '../errors.ts';
import { hourKey } from '../hour-buckets.ts';
import type { Logger } from '../logger.ts';
import type { EvidenceCheckModel, EvidenceRefModel } from './gc-model.ts';
import { insertIgnoringDuplicate } from './references.ts';
import type { EvidenceItem, UploadEvidenceFields } from './schemas.ts';
import type { EvidenceStore } from './store.ts';
import type { StagedFile } from './upload.ts';
import { toEvidenceFacts, totalBytes, type EvidenceLimits, type UploadOutcome } from './views.ts';

/** Adding evidence commutes with every other change, so a lost race is simply run again. */
const COMMIT_ATTEMPTS = 12;
const CLOSED_STATES = /^(closed|withdrawn)(\.|$)/;

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
}

/** Uploads are refused once the case can no longer change hands: closed or withdrawn. */
export function assertAccepting(record: CaseRecord): void {
  if (CLOSED_STATES.test(record.state)) {
    throw new ConflictError(`Evidence can no longer be added: the case is ${record.state}.`, {
      state: record.state,
    });
  }
}

export interface AddingDeps {
  cases: Pick<CaseService, 'loadVisible' | 'commitChange'>;
  refs: EvidenceRefModel;
  checks: EvidenceCheckModel;
  store: EvidenceStore;
  clock: Clock;
  wallNow: () => number;
  logger: Logger;
  limits: EvidenceLimits;
}

/** The items an upload records, one per staged file, under the keys the store gave them. */
function itemsOf(
  actor: CaseActor,
  fields: UploadEvidenceFields,
  files: readonly StagedFile[],
  keys: string[],
  context: { at: string; backend: EvidenceItem['backend'] },
): EvidenceItem[] {
  return files.map((file, index) => ({
    id: randomUUID(),
    kind: fields.kind,
    description: fields.description,
    sha256: file.sha256,
    size: file.size,
    mediaType: file.mediaType,
    originalName: file.originalName,
    storageKey: keys[index]!,
    backend: context.backend,
    uploadedBy: { id: actor.id, role: actor.role },
    uploadedAt: context.at,
    flagged: false,
  }));
}

/**
 * Stores a staged file for `caseId`, listing first that the case may hold it and that the
 * storing is to be looked at after the grace period (gc-model.ts): what a collection needs in
 * order to read only these documents.
 */
async function storeFor(deps: AddingDeps, caseId: string, file: StagedFile): Promise<string> {
  const { refs, checks, store, wallNow } = deps;
  const now = new Date(wallNow());
  await insertIgnoringDuplicate(refs, {
    _id: `${file.sha256}:${caseId}`,
    sha256: file.sha256,
    caseId,
    createdAt: now,
  });
  const attemptId = new Types.ObjectId().toHexString();
  await checks.collection.insertOne({
    _id: attemptId,
    sha256: file.sha256,
    createdAt: now,
    checkHour: hourKey(now),
  } as never);
  return store.put(file.tempPath, file.sha256, file.size, attemptId);
}

async function storeAll(
  deps: AddingDeps,
  caseId: string,
  files: readonly StagedFile[],
): Promise<string[]> {
  const keys: string[] = [];
  for (const file of files) {
    if (file.declaredType && file.declaredType !== file.mediaType) {
      deps.logger.info(
        { caseId, declared: file.declaredType, sniffed: file.mediaType, name: file.originalName },
        'evidence is stored as what its bytes are, not what the client declared',
      );
    }
    keys.push(await storeFor(deps, caseId, file));
  }
  return keys;
}

/** Records the items on the case in one change, then makes sure their bytes are still there. */
async function record(
  deps: AddingDeps,
  actor: CaseActor,
  caseId: string,
  at: string,
  items: EvidenceItem[],
  stored: { files: readonly StagedFile[]; keys: string[] },
): Promise<UploadOutcome> {
  const { cases, store, limits } = deps;
  const incoming = items.reduce((sum, item) => sum + item.size, 0);
  const current = await cases.loadVisible(actor, caseId);
  assertAccepting(current);
  const used = totalBytes(current);
  if (used + incoming > limits.maxCaseBytes) {
    throw new PayloadTooLargeError(
      `The case holds ${mb(used)} of evidence; ${mb(incoming)} more would pass its limit of ${mb(limits.maxCaseBytes)}.`,
    );
  }
  const next = await cases.commitChange(current, {
    entry: {
      at,
      type: 'EVIDENCE_ADDED',
      actor: { id: actor.id, role: actor.role },
      fromState: current.state,
      toState: current.state,
      data: {
        items: items.map((item) => ({
          id: item.id,
          kind: item.kind,
          sha256: item.sha256,
          size: item.size,
          mediaType: item.mediaType,
          name: item.originalName,
        })),
      },
    },
    evidence: { kind: 'evidence-added', items },
  });
  // A collection that judged these bytes unreferenced just before the commit may have
  // taken them; the temp files are still here to put them back.
  for (const [index, file] of stored.files.entries()) {
    if (!(await store.has(stored.keys[index]!))) await storeFor(deps, caseId, file);
  }
  const { version, evidenceCount } = next;
  return { caseId, version, evidenceCount, items: items.map(toEvidenceFacts) };
}

/**
 * Stores the staged files under their hashes and then records them all on the case in one
 * change (one EVIDENCE_ADDED timeline entry). The bytes are in the store before the case
 * mentions them, so no case ever points at a missing file; a failure after the store step
 * leaves only unreferenced content, which the collector removes after its grace period.
 * The caller keeps the temp files until this returns and then discards them.
 */
async function addEvidence(
  deps: AddingDeps,
  actor: CaseActor,
  caseId: string,
  fields: UploadEvidenceFields,
  files: readonly StagedFile[],
): Promise<UploadOutcome> {
  const at = deps.clock.now().toISOString();
  const keys = await storeAll(deps, caseId, files);
  const items = itemsOf(actor, fields, files, keys, { at, backend: deps.store.backend });
  return retryOnConflict(
    () => record(deps, actor, caseId, at, items, { files, keys }),
    COMMIT_ATTEMPTS,
  );
}

export function createAdding(deps: AddingDeps) {
  return (
    actor: CaseActor,
    caseId: string,
    fields: UploadEvidenceFields,
    files: readonly StagedFile[],
  ): Promise<UploadOutcome> => addEvidence(deps, actor, caseId, fields, files);
}
