import { Types } from 'mongoose';
import { NotFoundError } from '../errors.ts';
import type { AuthenticatedUser } from '../users/service.ts';
import type { LoadVisible } from './actors.ts';
import type { CaseRecord } from './model.ts';
import { visibleEntries } from './notes.ts';
import type { CaseView } from './schemas.ts';
import { verifyChain } from './timeline.ts';
import { verdictFields, type ToCaseView } from './views.ts';

export interface CaseReadingDeps {
  /** The stored case by a valid id, or null. */
  findCase(id: string): Promise<CaseRecord | null>;
  /** Applies a dead writer's claimed change (repository.ts, rollForward). */
  rollForward(record: CaseRecord): Promise<CaseRecord>;
  toView: ToCaseView;
}

/** Reading one case: the record access-checked, its view, and its verified timeline. */
export function createCaseReading(deps: CaseReadingDeps) {
  const { findCase, rollForward, toView } = deps;

  /** Loads a case the actor may see; a complainant probing someone else's case gets 404. */
  const loadVisible: LoadVisible = async (actor, id) => {
    const found = Types.ObjectId.isValid(id) ? await findCase(id) : null;
    if (!found) throw new NotFoundError('case');
    if (actor.role === 'complainant' && !found.ownerId.equals(actor.id)) {
      throw new NotFoundError('case');
    }
    return rollForward(found);
  };

  return {
    loadVisible,

    async get(actor: AuthenticatedUser, id: string): Promise<CaseView> {
      return toView(await loadVisible(actor, id), actor);
    },

    /**
     * The history as the actor may see it: internal notes are left out for the complainant,
     * but the verdict is always computed on the whole chain, so it stays true for them too.
     */
    async timeline(actor: AuthenticatedUser, id: string) {
      const record = await loadVisible(actor, id);
      return {
        caseId: record._id.toHexString(),
        reference: record.reference,
        entries: visibleEntries(record.timeline, actor.role),
        ...verdictFields(verifyChain(record.timeline)),
      };
    },
  };
}
