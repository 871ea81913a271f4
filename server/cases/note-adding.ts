import type { Clock } from '../clock.ts';
import type { AuthenticatedUser } from '../users/service.ts';
import type { LoadVisible } from './actors.ts';
import type { Commit } from './committing.ts';
import { NOTE_ENTRY } from './notes.ts';
import { retryOnConflict } from './retry.ts';
import type { TimelineEntry } from './timeline.ts';

/**
 * Adds an internal note: a NOTE entry in the hash chain, with no workflow step, no deadline
 * change and no email. Notes are additive, so there is no version check: a note that loses
 * the version claim to another writer reloads the case and tries again.
 */
export function createNoteAdding(deps: { loadVisible: LoadVisible; commit: Commit; clock: Clock }) {
  const { loadVisible, commit, clock } = deps;
  return async function addNote(
    actor: AuthenticatedUser,
    id: string,
    text: string,
  ): Promise<TimelineEntry> {
    return retryOnConflict(async () => {
      const record = await loadVisible(actor, id);
      const next = await commit(record, {
        entry: {
          at: clock.now().toISOString(),
          type: NOTE_ENTRY,
          actor: { id: actor.id, role: actor.role },
          fromState: record.state,
          toState: record.state,
          data: { text },
        },
      });
      return next.timeline.at(-1)!;
    }, 40);
  };
}
