import type { Types } from 'mongoose';
import { evidenceShasOf } from '../cases/mutations.ts';
import type { CaseChangeModel } from '../cases/journal.ts';
import type { CaseModel } from '../cases/model.ts';
import { hourIndex, hourIndexOfKey, hourKeys, MAX_BUCKET_WALK } from '../hour-buckets.ts';
import type { Logger } from '../logger.ts';
import {
  REFS_COMPLETE_ID,
  type EvidenceCheckModel,
  type EvidenceCheckRecord,
  type EvidenceRefModel,
} from './gc-model.ts';
import {
  decideHidden,
  settleCheck,
  type CheckBookkeeping,
  type CollectionResult,
} from './gc-settle.ts';
import {
  insertIgnoringDuplicate,
  type JournalEvidence,
  type ReferenceCheck,
} from './references.ts';
import type { EvidenceStore, StoredObject } from './store.ts';

export type { CollectionResult } from './gc-settle.ts';

export interface CollectorDeps {
  caseRecords: CaseModel;
  caseChanges: CaseChangeModel;
  refs: EvidenceRefModel;
  checks: EvidenceCheckModel;
  store: EvidenceStore;
  references: ReferenceCheck;
  wallNow: () => number;
  logger: Logger;
  gcGraceMs: number;
}

function add(total: CollectionResult, part: CollectionResult): void {
  total.removed += part.removed;
  total.restored += part.restored;
  total.partial += part.partial;
}

function mongoBookkeeping(refs: EvidenceRefModel, checks: EvidenceCheckModel): CheckBookkeeping {
  return {
    storingsOf: (sha256) => checks.find({ sha256 }, { createdAt: 1 }).lean<EvidenceCheckRecord[]>(),
    removeRef: async (id) => void (await refs.deleteOne({ _id: id })),
    removeCheck: async (id) => void (await checks.deleteOne({ _id: id })),
  };
}

/**
 * Lists the references older evidence has (every case, and every journal entry, not only
 * unapplied ones: see references.ts, caseHolds), which the work list relies on; returns the
 * hashes referenced.
 */
async function backfillRefs(deps: CollectorDeps): Promise<Set<string>> {
  const { caseRecords, caseChanges, refs, wallNow } = deps;
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
  for await (const change of caseChanges
    .find({}, { caseId: 1, mutations: 1, 'push.evidence.sha256': 1 })
    .lean<JournalEvidence & { caseId: Types.ObjectId }>()
    .cursor()) {
    for (const sha256 of evidenceShasOf(change)) await backfill(sha256, change.caseId);
  }
  return referenced;
}

/** One stored object: kept, put back, or taken away (hidden, checked again, purged). */
async function sweepObject(
  deps: Pick<CollectorDeps, 'store' | 'references'>,
  object: StoredObject,
  referenced: Set<string>,
  cutoff: Date,
): Promise<'restored' | 'removed' | null> {
  const { store, references } = deps;
  if (object.hidden) {
    // Left by a collection that died between hiding and deciding: decide now.
    if (await references.isReferenced(object.sha256)) {
      await store.unhide(object.key);
      return 'restored';
    }
    if (object.touchedAt >= cutoff) return null;
    await store.purge(object.key);
    return 'removed';
  }
  if (referenced.has(object.sha256) || object.touchedAt >= cutoff) return null;
  const token = await store.hide(object.key);
  return token === null ? null : decideHidden(deps, token, object.sha256);
}

export function createCollector(deps: CollectorDeps) {
  const { refs, checks, store, references, wallNow, logger } = deps;
  const settleDeps = { store, references, bookkeeping: mongoBookkeeping(refs, checks) };
  /** The oldest hour of `checks` that may still hold work, for this process (null: look). */
  let checksLow: number | null = null;

  /** After a start or a long pause: the list is short (the grace period's uploads). */
  async function oldestCheckHour(last: number): Promise<number> {
    let oldest = last;
    for (const check of await checks.find({}, { checkHour: 1 }).lean<EvidenceCheckRecord[]>()) {
      oldest = Math.min(oldest, hourIndexOfKey(check.checkHour) ?? oldest);
    }
    return oldest;
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
      checksLow = await oldestCheckHour(last);
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
        add(result, await settleCheck(settleDeps, check, cutoff));
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
   * existed.
   */
  async function collectEverything(cutoff: Date): Promise<CollectionResult> {
    const referenced = await backfillRefs(deps);
    const objects: StoredObject[] = [];
    for await (const object of store.list()) objects.push(object);
    const result = { removed: 0, restored: 0, partial: 0 };
    for (const object of objects) {
      const decided = await sweepObject(deps, object, referenced, cutoff);
      if (decided) result[decided]++;
    }
    result.partial = await store.sweepPartial(cutoff);
    await insertIgnoringDuplicate(refs, {
      _id: REFS_COMPLETE_ID,
      sha256: '',
      caseId: '',
      createdAt: new Date(wallNow()),
    });
    return result;
  }

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
  return async function collectGarbage(options: { graceMs?: number; full?: boolean } = {}) {
    const graceMs = options.graceMs ?? deps.gcGraceMs;
    const cutoff = new Date(wallNow() - graceMs);
    const result = { removed: 0, restored: 0, partial: 0 };
    if (options.full || !(await refs.exists({ _id: REFS_COMPLETE_ID }))) {
      Object.assign(result, await collectEverything(cutoff));
    }
    add(result, await collectChecks(cutoff));
    if (result.removed || result.restored || result.partial) {
      logger.info(result, 'evidence garbage collection');
    }
    return result;
  };
}
