import { createHash, randomUUID } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { Types } from 'mongoose';
import { evidenceShasOf } from '../cases/mutations.ts';
import { retryOnConflict } from '../cases/retry.ts';
import { changeId, type CaseChangeModel } from '../cases/journal.ts';
import type { CaseModel, CaseRecord } from '../cases/model.ts';
import { SYSTEM_ACTOR, type CaseActor, type CaseService } from '../cases/service.ts';
import type { Clock } from '../clock.ts';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError } from '../errors.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { hourIndex, hourIndexOfKey, hourKey, hourKeys, MAX_BUCKET_WALK } from '../hour-buckets.ts';
import type { Logger } from '../logger.ts';
import { downloadName } from './filename.ts';
import {
  REFS_COMPLETE_ID,
  type EvidenceCheckModel,
  type EvidenceCheckRecord,
  type EvidenceRefModel,
} from './gc-model.ts';
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

export interface CollectionResult {
  removed: number;
  restored: number;
  partial: number;
}

/** A pushed-down equality on a field of a nested array is not available: read and look. */
function pushesEvidence(change: JournalEvidence | null, sha256: string) {
  return change !== null && evidenceShasOf(change).includes(sha256);
}

type JournalEvidence = Parameters<typeof evidenceShasOf>[0];

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
  const { cases, caseRecords, caseChanges, refs, checks, store, clock, logger, limits } = deps;
  const wallNow = deps.wallClock ?? (() => Date.now());
  /** The oldest hour of `checks` that may still hold work, for this process (null: look). */
  let checksLow: number | null = null;

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
    await retryOnConflict(async () => {
      const record = await cases.loadVisible(SYSTEM_ACTOR, caseId);
      const evidence = record.evidence ?? [];
      const item = evidence.find((candidate) => candidate.id === evidenceId);
      if (!item || item.flagged) return;
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
        evidence: { kind: 'evidence-flagged', evidenceId },
      });
    });
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

  async function insertIgnoringDuplicate(
    model: EvidenceRefModel | EvidenceCheckModel,
    doc: object,
  ) {
    try {
      await model.collection.insertOne(doc as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /**
   * Stores a staged file for `caseId`, listing first that the case may hold it and that the
   * storing is to be looked at after the grace period (gc-model.ts): what a collection needs in
   * order to read only these documents.
   */
  async function storeFor(caseId: string, file: StagedFile): Promise<string> {
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

  /**
   * Whether case `caseId` holds `sha256`, on its document or in a change it has claimed but not
   * applied yet (its writer died; it is applied when the case is next read, see
   * cases/service.ts, catchUp). Only `_id` and `caseId` equality: no scan.
   */
  async function caseHolds(caseId: string, sha256: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(caseId)) return false;
    const id = new Types.ObjectId(caseId);
    const record = await caseRecords
      .findById(id, { evidence: 1, version: 1 })
      .lean<Pick<CaseRecord, 'evidence' | 'version'>>();
    if (record) {
      if ((record.evidence ?? []).some((item) => item.sha256 === sha256)) return true;
      for (let version = record.version + 1; ; version++) {
        const change = await caseChanges
          .findById(changeId(id, version), { mutations: 1, push: 1 })
          .lean<JournalEvidence>();
        if (!change) return false;
        if (pushesEvidence(change, sha256)) return true;
      }
    }
    // No case document (its filing died half-way, or it was removed): the journal is all left.
    const changes = await caseChanges
      .find({ caseId: id }, { mutations: 1, push: 1 })
      .lean<JournalEvidence[]>();
    return changes.some((change) => pushesEvidence(change, sha256));
  }

  /** Whether any case holds `sha256`; also the refs read, for removal with the content. */
  async function referencedBy(sha256: string): Promise<{ referenced: boolean; refIds: string[] }> {
    const found = await refs
      .find({ sha256 }, { caseId: 1 })
      .lean<{ _id: string; caseId: string }[]>();
    for (const ref of found) {
      if (await caseHolds(ref.caseId, sha256)) return { referenced: true, refIds: [] };
    }
    return { referenced: false, refIds: found.map((ref) => ref._id) };
  }

  async function isReferenced(sha256: string): Promise<boolean> {
    return (await referencedBy(sha256)).referenced;
  }

  /**
   * Decides about the bytes of one storing whose grace period is over: keeps them if a case
   * holds them, else takes them away (hidden, checked again, then purged or put back), and
   * removes what a dead write of this storing left. Then the check is done.
   */
  async function settle(check: EvidenceCheckRecord, cutoff: Date): Promise<CollectionResult> {
    const result = { removed: 0, restored: 0, partial: 0 };
    const { sha256 } = check;
    result.partial += await store.sweepPartialOf(check._id);
    const storings = await checks.find({ sha256 }, { createdAt: 1 }).lean<EvidenceCheckRecord[]>();
    // A younger storing of the same bytes may be between its store step and its commit: its
    // own check decides, after its grace period.
    if (!storings.some((other) => other.createdAt.getTime() > cutoff.getTime())) {
      const { referenced, refIds } = await referencedBy(sha256);
      // Copies an interrupted collection set aside: decide about them now.
      for (const token of await store.hiddenOf(sha256)) {
        if (referenced) {
          await store.unhide(token);
          result.restored++;
        } else {
          await store.purge(token);
          result.removed++;
        }
      }
      if (!referenced) {
        const token = await store.hide(store.keyOf(sha256));
        if (token !== null) {
          if (await isReferenced(sha256)) {
            await store.unhide(token);
            result.restored++;
          } else {
            await store.purge(token);
            result.removed++;
            // Only the refs read above, one `_id` at a time (an `$in` is not pushed down): one
            // written since belongs to an upload that stores the bytes again.
            for (const id of refIds) await refs.deleteOne({ _id: id });
          }
        }
      }
    }
    await checks.deleteOne({ _id: check._id });
    return result;
  }

  /**
   * The work list: checks older than `cutoff`, read hour bucket by hour bucket by equality
   * (FerretDB pushes nothing else down, server/db/pushdown.ts) from the oldest hour that may
   * hold one. Checks are written in the current hour and removed once settled, so an hour
   * behind the cutoff that was found empty stays empty.
   */
  async function collectChecks(cutoff: Date): Promise<CollectionResult> {
    const result = { removed: 0, restored: 0, partial: 0 };
    const last = hourIndex(cutoff);
    if (checksLow === null || last - checksLow > MAX_BUCKET_WALK) {
      // After a start or a long pause: the list is short (the grace period's uploads).
      let oldest = last;
      for (const check of await checks.find({}, { checkHour: 1 }).lean<EvidenceCheckRecord[]>()) {
        oldest = Math.min(oldest, hourIndexOfKey(check.checkHour) ?? oldest);
      }
      checksLow = oldest;
    }
    // One hour back at least: another instance's clock may run a little behind this one's.
    const from = Math.min(checksLow, last - 1);
    let low = from;
    let settled = true;
    for (const [offset, key] of hourKeys(from, last).entries()) {
      const found = await checks.find({ checkHour: key }).lean<EvidenceCheckRecord[]>();
      let left = 0;
      for (const check of found) {
        if (check.createdAt.getTime() > cutoff.getTime()) {
          left++;
          continue;
        }
        const settledOne = await settle(check, cutoff);
        result.removed += settledOne.removed;
        result.restored += settledOne.restored;
        result.partial += settledOne.partial;
      }
      if (settled && from + offset < last && left === 0) low = from + offset + 1;
      else settled = false;
    }
    checksLow = low;
    return result;
  }

  /**
   * The collection as it was before the work list: every case, the journal and the whole
   * store. Run once per database (and on request), for content stored before the work list
   * existed; it also lists the references older evidence has, which the work list relies on.
   */
  async function collectEverything(cutoff: Date): Promise<CollectionResult> {
    const referenced = new Set<string>();
    const backfill = async (sha256: unknown, caseId: unknown) => {
      if (typeof sha256 !== 'string' || !caseId) return;
      referenced.add(sha256);
      const id = String(caseId);
      await insertIgnoringDuplicate(refs, {
        _id: `${sha256}:${id}`,
        sha256,
        caseId: id,
        createdAt: new Date(wallNow()),
      });
    };
    for await (const record of caseRecords
      .find({}, { 'evidence.sha256': 1 })
      .lean<{ _id: Types.ObjectId; evidence?: { sha256: string }[] }>()
      .cursor()) {
      for (const item of record.evidence ?? []) await backfill(item.sha256, record._id);
    }
    // Every journal entry counts, not only unapplied ones (see caseHolds).
    for await (const change of caseChanges
      .find({}, { caseId: 1, mutations: 1, 'push.evidence.sha256': 1 })
      .lean<JournalEvidence & { caseId: Types.ObjectId }>()
      .cursor()) {
      for (const sha256 of evidenceShasOf(change)) await backfill(sha256, change.caseId);
    }

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
    await insertIgnoringDuplicate(refs, {
      _id: REFS_COMPLETE_ID,
      sha256: '',
      caseId: '',
      createdAt: new Date(wallNow()),
    });
    return { removed, restored, partial };
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
        keys.push(await storeFor(caseId, file));
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

      return retryOnConflict(async () => {
        const record = await cases.loadVisible(actor, caseId);
        assertAccepting(record);
        const used = totalBytes(record);
        if (used + incoming > limits.maxCaseBytes) {
          throw new PayloadTooLargeError(
            `The case holds ${mb(used)} of evidence; ${mb(incoming)} more would pass its limit of ${mb(limits.maxCaseBytes)}.`,
          );
        }
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
          evidence: { kind: 'evidence-added', items },
        });
        // A collection that judged these bytes unreferenced just before the commit may have
        // taken them; the temp files are still here to put them back.
        for (const [index, file] of files.entries()) {
          if (!(await store.has(keys[index]!))) await storeFor(caseId, file);
        }
        return {
          caseId,
          version: next.version,
          evidenceCount: next.evidenceCount,
          items: items.map((item) => toEvidenceView(caseId, item)),
        };
      }, COMMIT_ATTEMPTS);
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
      const cutoff = wallNow() - olderThanMs;
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
     *
     * It reads only the storings whose grace period ended since the last run (see
     * collectChecks), and the few cases that may hold their bytes. The first run on a database
     * (or `full`) goes through every case and the whole store once, for older content.
     */
    async collectGarbage(options: { graceMs?: number; full?: boolean } = {}) {
      const graceMs = options.graceMs ?? deps.gcGraceMs;
      const cutoff = new Date(wallNow() - graceMs);
      const result = { removed: 0, restored: 0, partial: 0 };
      if (options.full || !(await refs.exists({ _id: REFS_COMPLETE_ID }))) {
        Object.assign(result, await collectEverything(cutoff));
      }
      const listed = await collectChecks(cutoff);
      result.removed += listed.removed;
      result.restored += listed.restored;
      result.partial += listed.partial;
      if (result.removed || result.restored || result.partial) {
        logger.info(result, 'evidence garbage collection');
      }
      return result;
    },
  };
}
