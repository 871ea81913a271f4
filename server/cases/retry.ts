import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../errors.ts';

/**
 * Runs `attempt` (load the case, decide, commit) again while it loses the version claim to
 * another writer, with a growing random pause so that racing writers spread out; any other
 * error, or the last conflict, is thrown.
 */
export async function retryOnConflict<T>(
  attempt: (round: number) => Promise<T>,
  attempts = 12,
): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt(round);
    } catch (error) {
      if (!(error instanceof ConflictError) || round >= attempts) throw error;
      await sleep(5 + Math.random() * 20 * round);
    }
  }
}
