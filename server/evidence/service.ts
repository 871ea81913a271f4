import { createHash, randomUUID } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaseChangeModel } from '../cases/journal.ts';
import type { CaseModel, CaseRecord } from '../cases/model.ts';
import { SYSTEM_ACTOR, type CaseActor, type CaseService } from '../cases/service.ts';
import type { Clock } from '../clock.ts';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { downloadName } from './filename.ts';
import type {
  EvidenceItem,
  EvidenceList,
  EvidenceView,
  UploadEvidenceFields,
  UploadResult,
} from './schemas.ts';
import type { ByteRange, EvidenceStore, StoredObject } from './store.ts';
import type { StagedFile } from './upload.ts';

export interface EvidenceLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxCaseBytes: number;
}

export interface EvidenceServiceDeps {
  cases: CaseService;
  /** Read only, for the collector's "is this hash referenced" queries; writes go through `cases`. */
  caseRecords: CaseModel;
  caseChanges: CaseChangeModel;
  store: EvidenceStore;
  clock: Clock;
  logger: Logger;
  limits: EvidenceLimits;
  /** Where uploads are staged; on the store's disk for the fs backend, so a move is a rename. */
  tempDir: string;
  tempMaxAgeMs: number;
  gcGraceMs: number;
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;

/** Adding evidence commutes with every other change, so a lost race is simply run again. */
const COMMIT_ATTEMPTS = 12;
const CLOSED_STATES = /^(closed|withdrawn)(\.|$)/;

/** A download whose bytes did not match the recorded hash; the response is cut, never completed. */
export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

function evidenceFlagged(): AppError {
  return new AppError(
    'evidence-flagged',
    409,
    'This evidence failed its integrity check (the stored bytes are missing or altered) and is flagged for review.',
  );
}

function totalBytes(record: CaseRecord): number {
  return (record.evidence ?? []).reduce((sum, item) => sum + item.size, 0);
}

function mb(bytes: number): string {
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
}

export function toEvidenceView(caseId: string, item: EvidenceItem): EvidenceView {
  return {
    id: item.id,
    kind: item.kind,
    description: item.description,
    sha256: item.sha256,
    size: item.size,
    mediaType: item.mediaType,
    originalName: item.originalName,
    uploadedBy: item.uploadedBy,
    uploadedAt: item.uploadedAt,
    flagged: item.flagged,
    href: `/api/v1/cases/${caseId}/evidence/${item.id}`,
  };
}

export interface Download {
  item: EvidenceItem;
  /** The name to save under: sanitized, with the true extension when the client's lied. */
  filename: string;
  range: ByteRange | null;
  /** Bytes this response carries (the range's length, or the whole size). */
  length: number;
  /** The bytes; a whole-file stream is verified against the hash and fails before its end if they differ. */
  stream: Readable;
}

export function createEvidenceService(deps: EvidenceServiceDeps) {
  const { cases, caseRecords, caseChanges, store, clock, logger, limits } = deps;

  /** Uploads are refused once the case can no longer change hands: closed or withdrawn. */
  function assertAccepting(record: CaseRecord): void {
    if (CLOSED_STATES.test(record.state)) {
      throw new ConflictError(`Evidence can no longer be added: the case is ${record.state}.`, {
        state: record.state,
      });
    }
  }

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

  /**
   * Marks evidence whose stored bytes no longer match its hash, with a timeline entry, so
   * officers see it and nobody is served the altered bytes again.
   */
  async function flag(
    caseId: string,
    evidenceId: string,
    reason: string,
    detectedBy: CaseActor,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const record = await cases.loadVisible(SYSTEM_ACTOR, caseId);
      const evidence = record.evidence ?? [];
      const item = evidence.find((candidate) => candidate.id === evidenceId);
      if (!item || item.flagged) return;
      try {
        await cases.commitChange(record, {
          entry: {
            at: clock.now().toISOString(),
            type: 'EVIDENCE_FLAGGED',
            actor: { id: SYSTEM_ACTOR.id, role: SYSTEM_ACTOR.role },
            fromState: record.state,
            toState: record.state,
            data: {
              evidenceId,
              sha256: item.sha256,
              reason,
              detectedBy: { id: detectedBy.id, role: detectedBy.role },
            },
          },
          set: {
            evidence: evidence.map((candidate) =>
              candidate.id === evidenceId ? { ...candidate, flagged: true } : candidate,
            ),
          },
        });
        return;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= COMMIT_ATTEMPTS) throw error;
        await sleep(5 + Math.random() * 20);
      }
    }
  }

  async function flagLoudly(
    caseId: string,
    item: EvidenceItem,
    reason: string,
    detectedBy: CaseActor,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    logger.error(
      {
        caseId,
        evidenceId: item.id,
        sha256: item.sha256,
        storageKey: item.storageKey,
        reason,
        ...details,
      },
      'evidence failed its integrity check; flagging it',
    );
    await flag(caseId, item.id, reason, detectedBy).catch((error: unknown) =>
      logger.error({ err: error, caseId, evidenceId: item.id }, 'could not flag evidence'),
    );
  }

  /**
   * Passes the bytes through while hashing them, holding the last chunk back until the hash is
   * checked: a client never receives all of a file that fails, so a truncated download is the
   * signal, not a silently wrong file.
   */
  function verifying(caseId: string, item: EvidenceItem, actor: CaseActor): Transform {
    const hash = createHash('sha256');
    let seen = 0;
    let held: Buffer | undefined;
    const fail = (reason: string, details: Record<string, unknown>, done: (e: Error) => void) => {
      void flagLoudly(caseId, item, reason, actor, details).finally(() =>
        done(new IntegrityError(`evidence ${item.id}: ${reason}`)),
      );
    };
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > item.size) {
          fail('size-mismatch', { expectedSize: item.size, atLeast: seen }, done);
          return;
        }
        hash.update(chunk);
        const previous = held;
        held = chunk;
        done(null, previous);
      },
      flush(done) {
        const actual = hash.digest('hex');
        if (seen === item.size && actual === item.sha256) {
          done(null, held);
          return;
        }
        fail(
          seen === item.size ? 'hash-mismatch' : 'size-mismatch',
          { actualSha256: actual, actualSize: seen },
          done,
        );
      },
    });
  }

  async function referencedHashes(): Promise<Set<string>> {
    const [onCases, pending] = await Promise.all([
      caseRecords.collection.distinct('evidence.sha256'),
      // Every journal entry counts, not only unapplied ones: a change whose writer died is
      // applied later, when the case is next read (see cases/service.ts, catchUp).
      caseChanges.collection.distinct('push.evidence.sha256', {}),
    ]);
    return new Set([...onCases, ...pending].map(String));
  }

  async function isReferenced(sha256: string): Promise<boolean> {
    const [onCases, pending] = await Promise.all([
      caseRecords.collection.countDocuments({ 'evidence.sha256': sha256 }, { limit: 1 }),
      caseChanges.collection.countDocuments({ 'push.evidence.sha256': sha256 }, { limit: 1 }),
    ]);
    return onCases + pending > 0;
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

    /**
     * Stores the staged files under their hashes and then records them all on the case in one
     * change (one EVIDENCE_ADDED timeline entry). The bytes are in the store before the case
     * mentions them, so no case ever points at a missing file; a failure after the store step
     * leaves only unreferenced content, which the collector removes after its grace period.
     * The caller keeps the temp files until this returns and then discards them.
     */
    async addEvidence(
      actor: CaseActor,
      caseId: string,
      fields: UploadEvidenceFields,
      files: readonly StagedFile[],
    ): Promise<UploadResult> {
      const at = clock.now().toISOString();
      const keys: string[] = [];
      for (const file of files) {
        if (file.declaredType && file.declaredType !== file.mediaType) {
          logger.info(
            {
              caseId,
              declared: file.declaredType,
              sniffed: file.mediaType,
              name: file.originalName,
            },
            'evidence is stored as what its bytes are, not what the client declared',
          );
        }
        keys.push(await store.put(file.tempPath, file.sha256, file.size));
      }
      const items: EvidenceItem[] = files.map((file, index) => ({
        id: randomUUID(),
        kind: fields.kind,
        description: fields.description,
        sha256: file.sha256,
        size: file.size,
        mediaType: file.mediaType,
        originalName: file.originalName,
        storageKey: keys[index]!,
        backend: store.backend,
        uploadedBy: { id: actor.id, role: actor.role },
        uploadedAt: at,
        flagged: false,
      }));
      const incoming = items.reduce((sum, item) => sum + item.size, 0);

      for (let attempt = 1; ; attempt++) {
        const record = await cases.loadVisible(actor, caseId);
        assertAccepting(record);
        const used = totalBytes(record);
        if (used + incoming > limits.maxCaseBytes) {
          throw new PayloadTooLargeError(
            `The case holds ${mb(used)} of evidence; ${mb(incoming)} more would pass its limit of ${mb(limits.maxCaseBytes)}.`,
          );
        }
        try {
          const next = await cases.commitChange(record, {
            entry: {
              at,
              type: 'EVIDENCE_ADDED',
              actor: { id: actor.id, role: actor.role },
              fromState: record.state,
              toState: record.state,
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
            set: { evidenceCount: record.evidenceCount + items.length },
            push: { evidence: items },
          });
          // A collection that judged these bytes unreferenced just before the commit may have
          // taken them; the temp files are still here to put them back.
          for (const [index, file] of files.entries()) {
            if (!(await store.has(keys[index]!))) {
              await store.put(file.tempPath, file.sha256, file.size);
            }
          }
          return {
            caseId,
            version: next.version,
            evidenceCount: next.evidenceCount,
            items: items.map((item) => toEvidenceView(caseId, item)),
          };
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt >= COMMIT_ATTEMPTS) throw error;
          await sleep(5 + Math.random() * 20 * attempt);
        }
      }
    },

    /** The case's evidence, oldest first. */
    async list(actor: CaseActor, caseId: string): Promise<EvidenceList> {
      const record = await cases.loadVisible(actor, caseId);
      const evidence = record.evidence ?? [];
      return {
        caseId,
        items: evidence.map((item) => toEvidenceView(caseId, item)),
        totalBytes: totalBytes(record),
        limits: { ...limits },
      };
    },

    /** One item, access-checked like its case. */
    find: findItem,

    /**
     * Opens evidence for download. A whole-file download is verified as it streams; a range is
     * not (its hash cannot be checked without reading the rest).
     */
    async download(
      actor: CaseActor,
      caseId: string,
      item: EvidenceItem,
      range: ByteRange | null,
    ): Promise<Download> {
      if (item.flagged) throw evidenceFlagged();
      const content = await store.open(item.storageKey, range ?? undefined);
      if (!content || content.size !== item.size) {
        content?.stream.destroy();
        await flagLoudly(caseId, item, content ? 'size-mismatch' : 'missing', actor, {
          actualSize: content?.size ?? null,
        });
        throw evidenceFlagged();
      }
      let stream = content.stream;
      if (!range) {
        const source = content.stream;
        stream = source.pipe(verifying(caseId, item, actor));
        // pipe() neither forwards errors nor closes the source when the reader goes away.
        source.once('error', (error) => stream.destroy(error));
        stream.once('close', () => source.destroy());
      }
      return {
        item,
        filename: downloadName(item.originalName, item.mediaType),
        range,
        length: range ? range.end - range.start + 1 : item.size,
        stream,
      };
    },

    /**
     * Removes upload temp files older than `olderThanMs` (by their modification time, which an
     * upload in progress keeps fresh): leftovers of crashes and of connections that died.
     */
    async sweepTempFiles(olderThanMs = deps.tempMaxAgeMs): Promise<number> {
      let names: string[];
      try {
        names = await readdir(deps.tempDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
      const cutoff = Date.now() - olderThanMs;
      let removed = 0;
      for (const name of names) {
        const path = join(deps.tempDir, name);
        const info = await lstat(path).catch(() => null);
        if (!info || info.mtimeMs > cutoff) continue;
        await rm(path, { force: true, recursive: true });
        removed++;
      }
      if (removed) logger.info({ removed }, 'removed stale upload temp files');
      return removed;
    },

    /**
     * Removes stored content that no case references. Safe at any time and on several
     * instances: only content older than the grace period is considered (an upload between
     * its store step and its commit is younger), and each candidate is first hidden, then
     * checked again, and only then deleted, or put back if a case took it meanwhile.
     */
    async collectGarbage(options: { graceMs?: number } = {}) {
      const graceMs = options.graceMs ?? deps.gcGraceMs;
      const cutoff = new Date(Date.now() - graceMs);
      const referenced = await referencedHashes();
      const objects: StoredObject[] = [];
      for await (const object of store.list()) objects.push(object);
      let removed = 0;
      let restored = 0;
      for (const object of objects) {
        if (object.hidden) {
          // Left by a collection that died between hiding and deciding: decide now.
          if (await isReferenced(object.sha256)) {
            await store.unhide(object.key);
            restored++;
          } else if (object.touchedAt < cutoff) {
            await store.purge(object.key);
            removed++;
          }
          continue;
        }
        if (referenced.has(object.sha256) || object.touchedAt >= cutoff) continue;
        const token = await store.hide(object.key);
        if (token === null) continue;
        if (await isReferenced(object.sha256)) {
          await store.unhide(token);
          restored++;
        } else {
          await store.purge(token);
          removed++;
        }
      }
      const partial = await store.sweepPartial(cutoff);
      if (removed || restored || partial) {
        logger.info({ removed, restored, partial }, 'evidence garbage collection');
      }
      return { removed, restored, partial };
    },
  };
}
