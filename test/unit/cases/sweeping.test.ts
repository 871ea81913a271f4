import { expect } from 'chai';
import type { Types } from 'mongoose';
import { DEFAULT_POLICY } from '../../../workflows/index.ts';
import type { CaseChange, Commit } from '../../../server/cases/committing.ts';
import type { CaseRecord } from '../../../server/cases/model.ts';
import { createEventApplying, type ApplyToRecord } from '../../../server/cases/sending.ts';
import { createDeadlineSweep } from '../../../server/cases/sweeping.ts';
import { ManualClock } from '../../../server/clock.ts';
import { ConflictError, InvalidTransitionError } from '../../../server/errors.ts';
import { filedCase, machines, users } from './fixtures.ts';

// The sweeper's decision per due case, over cases in memory and a fake commit: no database.
/** Cases by id; a commit stores the workflow step and counts the version up. */
function world(records: CaseRecord[]) {
  const stored = new Map(records.map((record) => [record._id.toHexString(), record]));
  const commits: CaseChange[] = [];
  const commit: Commit = async (record, change) => {
    commits.push(change);
    const next = {
      ...record,
      version: record.version + 1,
      ...(change.workflow
        ? { state: change.workflow.state, deadlines: change.workflow.deadlines }
        : {}),
    };
    stored.set(record._id.toHexString(), next);
    return next;
  };
  return { stored, commits, commit };
}

/** The sweep, a day after the acknowledgement of a case filed at FILED_AT was due. */
async function sweep(records: CaseRecord[], applying?: (real: ApplyToRecord) => ApplyToRecord) {
  const clock = new ManualClock(records[0]!.deadlines[0]!.dueAt!);
  clock.advance(86_400_000);
  const { stored, commits, commit } = world(records);
  const real = createEventApplying({
    users,
    clock,
    machineFor: machines.machineFor,
    policy: DEFAULT_POLICY,
    commit,
  });
  const applyToRecord = applying?.(real) ?? real;
  const sweepDeadlines = createDeadlineSweep({
    dueCases: { find: async () => records.map(({ _id }) => ({ _id })) },
    loadCurrent: async (id: Types.ObjectId) => stored.get(id.toHexString()) ?? null,
    applyToRecord,
    commit,
    clock,
  });
  return { result: await sweepDeadlines(), stored, commits };
}

describe('cases: the deadline sweep', () => {
  it('fires DEADLINE_PASSED once per due deadline, as the system', async () => {
    const record = await filedCase();
    const { result, commits, stored } = await sweep([record]);
    expect(result).to.deep.equal({ fired: 1, conflicts: 0 });
    expect(commits.map((c) => [c.entry.type, c.entry.actor.role, c.entry.data])).to.deep.equal([
      ['DEADLINE_PASSED', 'system', { deadline: 'acknowledge' }],
    ]);
    const after = stored.get(record._id.toHexString())!;
    expect(after.deadlines.map((d) => [d.kind, d.status])).to.deep.equal([
      ['acknowledge', 'missed'],
    ]);
  });

  it('records a deadline the state does not react to as missed, with no workflow step', async () => {
    const record = await filedCase();
    const refusing = (): ApplyToRecord => async (r) => {
      throw new InvalidTransitionError('DEADLINE_PASSED', r.state, []);
    };
    const { result, commits } = await sweep([record], refusing);
    expect(result).to.deep.equal({ fired: 1, conflicts: 0 });
    expect(commits).to.have.length(1);
    const { workflow, entry } = commits[0]!;
    expect(entry).to.include({ type: 'DEADLINE_PASSED', fromState: 'filed', toState: 'filed' });
    expect(workflow?.actions).to.deep.equal([]);
    expect(workflow?.deadlines.map((d) => d.status)).to.deep.equal(['missed']);
  });

  it('counts a lost race as a conflict and leaves that case to the winner', async () => {
    const cases = [await filedCase(), await filedCase()];
    let calls = 0;
    const racing =
      (real: ApplyToRecord): ApplyToRecord =>
      async (...args) => {
        if (calls++ === 0) throw new ConflictError('someone else won');
        return real(...args);
      };
    const { result } = await sweep(cases, racing);
    expect(result).to.deep.equal({ fired: 1, conflicts: 1 });
    expect(calls).to.equal(2);
  });

  it('passes over a case that is gone', async () => {
    const record = await filedCase();
    const clock = new ManualClock('2030-01-01T00:00:00Z');
    const sweepDeadlines = createDeadlineSweep({
      dueCases: { find: async () => [{ _id: record._id }] },
      loadCurrent: async () => null,
      applyToRecord: async () => {
        throw new Error('not called');
      },
      commit: async () => {
        throw new Error('not called');
      },
      clock,
    });
    expect(await sweepDeadlines()).to.deep.equal({ fired: 0, conflicts: 0 });
  });
});
