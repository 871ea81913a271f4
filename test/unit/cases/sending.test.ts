import { expect } from 'chai';
import { DEFAULT_POLICY } from '../../../workflows/index.ts';
import { createCommit } from '../../../server/cases/committing.ts';
import type { CaseRecord } from '../../../server/cases/model.ts';
import type { AppendedChange } from '../../../server/cases/repository.ts';
import { createEventStep } from '../../../server/cases/sending.ts';
import { ManualClock } from '../../../server/clock.ts';
import {
  ForbiddenError,
  InvalidTransitionError,
  UnprocessableError,
} from '../../../server/errors.ts';
import {
  complainant,
  complainantId,
  disabledOfficerId,
  filedCase,
  machines,
  officer,
  officerId,
  users,
} from './fixtures.ts';

// The next state and the emails an event leads to, decided by the real machine over a filed
// case, committed into a fake repository: no database.
const clock = new ManualClock('2026-11-03T10:00:00.000Z');
const changeFor = createEventStep({
  users,
  clock,
  machineFor: machines.machineFor,
  policy: DEFAULT_POLICY,
});

/** What the commit hands the repository, with the outbox asked for the next entry number. */
async function committed(record: CaseRecord, ...args: Parameters<typeof changeFor>) {
  const appended: AppendedChange[] = [];
  const commit = createCommit({
    repository: { append: async (r, change) => (appended.push(change), r) },
  });
  await commit(record, await changeFor(...args));
  const change = appended[0]!;
  return { change, notifications: change.notifications(record.timeline.length + 1) };
}

describe('cases: sending an event', () => {
  it('moves a filed case into review, meets its acknowledgement and tells the complainant', async () => {
    const record = await filedCase();
    const { change, notifications } = await committed(record, record, officer, {
      type: 'TRIAGE_ACCEPT',
    });
    expect(change.entry).to.deep.include({
      type: 'TRIAGE_ACCEPT',
      fromState: 'filed',
      at: '2026-11-03T10:00:00.000Z',
      actor: officer,
    });
    const [workflow] = change.mutations;
    expect(workflow).to.include({ kind: 'workflow' });
    if (workflow?.kind !== 'workflow') throw new Error('no workflow step');
    expect(workflow.state).to.match(/^platformReview\./);
    expect(change.entry.toState).to.equal(workflow.state);
    const statuses = workflow.deadlines.map((d) => [d.kind, d.status]);
    expect(statuses).to.deep.include(['acknowledge', 'met']);
    expect(statuses).to.deep.include(['finalResponse', 'running']);
    expect(notifications.map((n) => [n.template, n.recipientId, n.entrySeq])).to.deep.equal([
      ['acknowledged', complainantId, 2],
    ]);
  });

  it('mails the new assignee, and only an active officer can be one', async () => {
    const record = await filedCase();
    const { change, notifications } = await committed(record, record, officer, {
      type: 'ASSIGN',
      officerId,
    });
    expect(change.entry.data).to.deep.equal({ officerId });
    expect(notifications.map((n) => [n.template, n.recipientId])).to.deep.equal([
      ['assigned', officerId],
    ]);
    for (const id of [disabledOfficerId, complainantId]) {
      const refused = await changeFor(record, officer, { type: 'ASSIGN', officerId: id }).catch(
        (e: unknown) => e,
      );
      expect(refused).to.be.instanceOf(UnprocessableError);
    }
  });

  it('refuses an event the state does not accept (409) and a role that may not send it (403)', async () => {
    const record = await filedCase();
    const notAccepted = await changeFor(record, complainant, {
      type: 'PROVIDE_INFO',
      answer: 'Here it is.',
    }).catch((e: unknown) => e);
    expect(notAccepted).to.be.instanceOf(InvalidTransitionError);
    expect((notAccepted as InvalidTransitionError).extras['allowedEvents']).to.include(
      'TRIAGE_ACCEPT',
    );
    const forbidden = await changeFor(record, complainant, { type: 'TRIAGE_ACCEPT' }).catch(
      (e: unknown) => e,
    );
    expect(forbidden).to.be.instanceOf(ForbiddenError);
  });
});
