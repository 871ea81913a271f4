import type { Types } from 'mongoose';
import { dueDeadlines, settleDeadlines, type Deadline } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, GuardRefusedError, InvalidTransitionError } from '../errors.ts';
import { SYSTEM_ACTOR } from './actors.ts';
import type { Commit } from './committing.ts';
import type { CaseRecord } from './model.ts';
import type { ApplyToRecord } from './sending.ts';

/** Rounds per case: each fires one due deadline, so a case with several gets them in turn. */
const ROUNDS_PER_CASE = 8;

export interface DeadlineSweepDeps {
  /** The cases due by `now` (maintenance.ts, createDueCaseFinder). */
  dueCases: { find(now: Date, batchSize: number): Promise<{ _id: Types.ObjectId }[]> };
  /** The case as it is now (rolled forward), or null once it is gone. */
  loadCurrent(id: Types.ObjectId): Promise<CaseRecord | null>;
  applyToRecord: ApplyToRecord;
  commit: Commit;
  clock: Clock;
}

type Outcome = 'fired' | 'conflict';

/** Records a deadline the state does not react to as missed, with no workflow step. */
function recordMissed(commit: Commit, record: CaseRecord, deadline: Deadline, nowIso: string) {
  return commit(record, {
    workflow: {
      state: record.state,
      stateValue: record.stateValue,
      context: record.context,
      deadlines: settleDeadlines(record.deadlines, [deadline.kind], 'missed', nowIso),
      actions: [],
    },
    entry: {
      at: nowIso,
      type: 'DEADLINE_PASSED',
      actor: { id: 'system', role: 'system' },
      fromState: record.state,
      toState: record.state,
      data: { deadline: deadline.kind },
    },
  });
}

/**
 * Fires DEADLINE_PASSED for every due deadline, found through the nextDueAt index. Several
 * instances may sweep at once: the version guard lets one firing win and the others fail
 * harmlessly. A deadline the state does not react to is still recorded as missed, so it is
 * never found again.
 */
export function createDeadlineSweep(deps: DeadlineSweepDeps) {
  const { dueCases, loadCurrent, applyToRecord, commit, clock } = deps;

  /** One due deadline of one case: fired, or recorded as missed; a lost race is a conflict. */
  async function fireOne(record: CaseRecord, deadline: Deadline, nowIso: string): Promise<Outcome> {
    try {
      await applyToRecord(record, SYSTEM_ACTOR, {
        type: 'DEADLINE_PASSED',
        deadline: deadline.kind,
      });
      return 'fired';
    } catch (error) {
      if (error instanceof ConflictError) return 'conflict';
      if (!(error instanceof InvalidTransitionError || error instanceof GuardRefusedError))
        throw error;
    }
    try {
      await recordMissed(commit, record, deadline, nowIso);
      return 'fired';
    } catch (commitError) {
      if (!(commitError instanceof ConflictError)) throw commitError;
      return 'conflict';
    }
  }

  /** Fires a case's due deadlines one at a time, until none is due or a writer races it. */
  async function sweepCase(id: Types.ObjectId, nowIso: string) {
    const counted = { fired: 0, conflicts: 0 };
    for (let round = 0; round < ROUNDS_PER_CASE; round++) {
      const record = await loadCurrent(id);
      const deadline = record && dueDeadlines(record.deadlines, nowIso)[0];
      if (!record || !deadline) break;
      const outcome = await fireOne(record, deadline, nowIso);
      if (outcome === 'conflict') {
        counted.conflicts++;
        break;
      }
      counted.fired++;
    }
    return counted;
  }

  return async function sweepDeadlines(
    batchSize = 100,
  ): Promise<{ fired: number; conflicts: number }> {
    const now = clock.now();
    const nowIso = now.toISOString();
    let fired = 0;
    let conflicts = 0;
    for (const { _id } of await dueCases.find(now, batchSize)) {
      const counted = await sweepCase(_id, nowIso);
      fired += counted.fired;
      conflicts += counted.conflicts;
    }
    return { fired, conflicts };
  };
}
