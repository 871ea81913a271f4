import { Types } from 'mongoose';
import { evidenceShasOf } from '../cases/mutations.ts';
import { changeId, type CaseChangeModel } from '../cases/journal.ts';
import type { CaseModel, CaseRecord } from '../cases/model.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import type { EvidenceCheckModel, EvidenceRefModel } from './gc-model.ts';

export type JournalEvidence = Parameters<typeof evidenceShasOf>[0];

/** A pushed-down equality on a field of a nested array is not available: read and look. */
function pushesEvidence(change: JournalEvidence | null, sha256: string) {
  return change !== null && evidenceShasOf(change).includes(sha256);
}

export async function insertIgnoringDuplicate(
  model: EvidenceRefModel | EvidenceCheckModel,
  doc: object,
): Promise<void> {
  try {
    await model.collection.insertOne(doc as never);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** Whether content is referenced, and the refs read, for removal with the content. */
export interface ReferenceCheck {
  referencedBy(sha256: string): Promise<{ referenced: boolean; refIds: string[] }>;
  isReferenced(sha256: string): Promise<boolean>;
}

/** "Does any case hold these bytes", answered from the refs and the few cases they name. */
export function createReferenceCheck(deps: {
  caseRecords: CaseModel;
  caseChanges: CaseChangeModel;
  refs: EvidenceRefModel;
}): ReferenceCheck {
  const { caseRecords, caseChanges, refs } = deps;

  /**
   * Whether case `caseId` holds `sha256`, on its document or in a change it has claimed but not
   * applied yet (its writer died; it is applied when the case is next read, see
   * cases/repository.ts, rollForward). Only `_id` and `caseId` equality: no scan.
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

  async function referencedBy(sha256: string): Promise<{ referenced: boolean; refIds: string[] }> {
    const found = await refs
      .find({ sha256 }, { caseId: 1 })
      .lean<{ _id: string; caseId: string }[]>();
    for (const ref of found) {
      if (await caseHolds(ref.caseId, sha256)) return { referenced: true, refIds: [] };
    }
    return { referenced: false, refIds: found.map((ref) => ref._id) };
  }

  return {
    referencedBy,
    isReferenced: async (sha256) => (await referencedBy(sha256)).referenced,
  };
}
