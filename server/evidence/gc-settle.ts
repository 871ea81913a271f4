import type { EvidenceCheckRecord } from './gc-model.ts';
import type { ReferenceCheck } from './references.ts';
import type { EvidenceStore } from './store.ts';

export interface CollectionResult {
  removed: number;
  restored: number;
  partial: number;
}

export type SettleStore = Pick<
  EvidenceStore,
  'sweepPartialOf' | 'hiddenOf' | 'hide' | 'unhide' | 'purge' | 'keyOf'
>;

/** The collector's bookkeeping a settled check touches (gc-model.ts). */
export interface CheckBookkeeping {
  /** When each storing of these bytes was made. */
  storingsOf(sha256: string): Promise<{ createdAt: Date }[]>;
  removeRef(id: string): Promise<void>;
  removeCheck(id: string): Promise<void>;
}

/**
 * Decides about hidden bytes by asking again whether a case holds them: put back if one does
 * (it took them meanwhile), purged if none does.
 */
export async function decideHidden(
  deps: { store: SettleStore; references: ReferenceCheck },
  token: string,
  sha256: string,
): Promise<'restored' | 'removed'> {
  if (await deps.references.isReferenced(sha256)) {
    await deps.store.unhide(token);
    return 'restored';
  }
  await deps.store.purge(token);
  return 'removed';
}

/**
 * Decides about the bytes of one storing whose grace period is over: keeps them if a case
 * holds them, else takes them away (hidden, checked again, then purged or put back), and
 * removes what a dead write of this storing left. Then the check is done.
 */
export async function settleCheck(
  deps: { store: SettleStore; references: ReferenceCheck; bookkeeping: CheckBookkeeping },
  check: EvidenceCheckRecord,
  cutoff: Date,
): Promise<CollectionResult> {
  const { store, references, bookkeeping } = deps;
  const result = { removed: 0, restored: 0, partial: 0 };
  const { sha256 } = check;
  result.partial += await store.sweepPartialOf(check._id);
  const storings = await bookkeeping.storingsOf(sha256);
  // A younger storing of the same bytes may be between its store step and its commit: its
  // own check decides, after its grace period.
  if (!storings.some((other) => other.createdAt.getTime() > cutoff.getTime())) {
    const { referenced, refIds } = await references.referencedBy(sha256);
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
    const token = referenced ? null : await store.hide(store.keyOf(sha256));
    if (token !== null) {
      const decided = await decideHidden(deps, token, sha256);
      result[decided]++;
      // Only the refs read above, one `_id` at a time (an `$in` is not pushed down): one
      // written since belongs to an upload that stores the bytes again.
      if (decided === 'removed') for (const id of refIds) await bookkeeping.removeRef(id);
    }
  }
  await bookkeeping.removeCheck(check._id);
  return result;
}
