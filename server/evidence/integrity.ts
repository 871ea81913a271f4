import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { retryOnConflict } from '../cases/retry.ts';
import { SYSTEM_ACTOR, type CaseActor, type CaseService } from '../cases/service.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EvidenceItem } from './schemas.ts';

/** A download whose bytes did not match the recorded hash; the response is cut, never completed. */
export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

export function evidenceFlagged(): AppError {
  return new AppError(
    'evidence-flagged',
    409,
    'This evidence failed its integrity check (the stored bytes are missing or altered) and is flagged for review.',
  );
}

/** Why a whole-file read did not match: the reason recorded, and what was seen. */
export type IntegrityFailure = (reason: string, details: Record<string, unknown>) => Promise<void>;

/**
 * Passes the bytes through while hashing them, holding the last chunk back until the hash is
 * checked: a client never receives all of a file that fails, so a truncated download is the
 * signal, not a silently wrong file. `onFailure` runs before the stream errors.
 */
export function verifyingStream(
  item: Pick<EvidenceItem, 'id' | 'size' | 'sha256'>,
  onFailure: IntegrityFailure,
): Transform {
  const hash = createHash('sha256');
  let seen = 0;
  let held: Buffer | undefined;
  const fail = (reason: string, details: Record<string, unknown>, done: (e: Error) => void) => {
    void onFailure(reason, details).finally(() =>
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

/** Flagging: evidence whose stored bytes no longer match its hash is marked on its case. */
export function createFlagging(deps: {
  cases: Pick<CaseService, 'loadVisible' | 'commitChange'>;
  clock: Clock;
  logger: Logger;
}) {
  const { cases, clock, logger } = deps;

  /**
   * Marks the evidence with a timeline entry, so officers see it and nobody is served the
   * altered bytes again.
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

  /** Logs the failure and flags the item; a flag that cannot be written is logged, not thrown. */
  return async function flagLoudly(
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
  };
}

export type FlagLoudly = ReturnType<typeof createFlagging>;
