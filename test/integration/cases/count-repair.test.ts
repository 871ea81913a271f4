import { expect } from 'chai';
import { Types } from 'mongoose';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

/**
 * The queue counts are folded from deltas stored in the journal (queue-counts.ts); these
 * tests leave the database as a writer that died at each point would, and check that the
 * repair pass brings the counts back to the truth, once.
 */
describe('queue counts after a writer died mid-change (count-repair.ts)', () => {
  let t: TestServer;
  let alice: TestUser;
  let officer: TestUser;

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    t.clock.set('2026-11-02T09:00:00Z');
    alice = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
  });

  const db = () => t.server.database.connection.db!;
  const counts = async () =>
    (await t.http.get('/api/v1/cases/counts').set(officer.auth).expect(200)).body as {
      total: number;
      queues: { triage: number };
    };
  const shards = () =>
    db().collection<{ _id: string; counts: Record<string, number>; lastFold?: string }>(
      'case_queue_counts',
    );
  const journal = () =>
    db().collection<{
      _id: string;
      countBatch: string;
      countDelta: Record<string, number>;
      counted: boolean;
    }>('case_changes');

  /** Undoes a change's fold in the shards, as if its writer died before folding it. */
  async function unfold(changeId: string): Promise<void> {
    const change = (await journal().findOne({ _id: changeId }))!;
    const [shard] = await shards().find({}).toArray();
    const inc = Object.fromEntries(
      Object.entries(change.countDelta).map(([k, v]) => [`counts.${k}`, -v]),
    );
    // A writer that died before folding never named its batch as the shard's last fold.
    await shards().updateOne(
      { _id: shard!._id },
      { $inc: inc, $set: { lastFold: 'an-earlier-batch' } },
    );
    await journal().updateOne({ _id: changeId }, { $set: { counted: false } });
  }

  it('counts a filing and a transition whose writers died before counting them, after the stale period', async () => {
    const filed = await fileCase(t, alice);
    const accepted = await fileCase(t, alice);
    await send(t, officer, accepted, { type: 'TRIAGE_ACCEPT' });
    expect((await counts()).total).to.equal(2);
    await unfold(`${filed.id}:1`);
    await unfold(`${accepted.id}:2`);
    expect(await counts()).to.deep.include({ total: 1 });
    // A live writer may still be at work: nothing is repaired before the stale period.
    expect(await t.server.services.cases.repairCounts()).to.equal(0);
    t.clock.set('2026-11-02T09:01:00Z');
    expect(await t.server.services.cases.repairCounts()).to.equal(2);
    const after = await counts();
    expect(after.total).to.equal(2);
    expect(after.queues.triage).to.equal(1);
    // Repaired once: a second pass finds nothing.
    expect(await t.server.services.cases.repairCounts()).to.equal(0);
    expect(await counts()).to.deep.equal(after);
  });

  it('does not count twice a change folded just before its writer died, nor a filing whose case was never written', async () => {
    const filed = await fileCase(t, alice);
    // Folded into a shard, not yet marked: the shard names the batch as its last fold.
    const change = (await journal().findOne({ _id: `${filed.id}:1` }))!;
    await journal().updateOne({ _id: change._id }, { $set: { counted: false } });
    const orphan = new Types.ObjectId();
    await journal().insertOne({
      _id: `${orphan.toHexString()}:1`,
      caseId: orphan,
      version: 1,
      at: new Date('2026-11-02T09:00:00Z'),
      countBatch: 'a-filing-that-never-wrote-its-case',
      countDelta: { total: 1, triage: 1 },
      counted: false,
    } as never);
    t.clock.set('2026-11-02T09:01:00Z');
    await t.server.services.cases.repairCounts();
    const after = await counts();
    expect(after.total).to.equal(1);
    expect(after.queues.triage).to.equal(1);
    expect(await journal().countDocuments({ counted: false })).to.equal(0);
  });
});
