import { expect } from 'chai';
import { Types } from 'mongoose';
import { fileCase, send } from '../../helpers/cases.ts';
import { writerGoneAfter } from '../../../server/cases/shard-adoption.ts';
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
    // A batch of its own, which this process never folded: the dead writer's.
    await journal().updateOne(
      { _id: changeId },
      { $set: { counted: false, countBatch: `dead-writer-${changeId}` } },
    );
  }

  /** As another process (shard `writer`) left a change: uncounted, in a batch it named. */
  async function leftBy(writer: string, changeId: string): Promise<void> {
    await unfold(changeId);
    await journal().updateOne({ _id: changeId }, { $set: { countBatch: `${writer}/${changeId}` } });
  }

  // The test server repairs once an hour (test/helpers/server.ts).
  const goneMinutes = writerGoneAfter(3_600_000) / 60_000;
  /** A repair pass `minutes` after 09:00. */
  async function repairAt(minutes: number): Promise<void> {
    t.clock.set(new Date(Date.parse('2026-11-02T09:00:00Z') + minutes * 60_000));
    await t.server.services.cases.repairCounts();
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
    expect(await counts()).to.deep.include({ total: 1 });
    // Its writer may still be inserting the case: the entry waits for a later pass.
    expect(await journal().countDocuments({ counted: false })).to.equal(1);
    t.clock.set('2026-11-02T09:11:00Z');
    await t.server.services.cases.repairCounts();
    const after = await counts();
    expect(after.total).to.equal(1);
    expect(after.queues.triage).to.equal(1);
    expect(await journal().countDocuments({ counted: false })).to.equal(0);
  });

  it("leaves another live process's uncounted change to it, and counts it once that process is gone", async () => {
    const filed = await fileCase(t, alice);
    // The change was made by another process, whose shard is there and beating.
    const other = 'queue-counts:another-process';
    await leftBy(other, `${filed.id}:1`);
    await shards().insertOne({ _id: other, kind: 'queue-counts', counts: {}, beat: 1 } as never);
    const pass = async (minutes: number) => {
      await repairAt(minutes);
      return (await counts()).total;
    };
    expect(await pass(1)).to.equal(0);
    await shards().updateOne({ _id: other }, { $set: { beat: 2 } });
    expect(await pass(3)).to.equal(0);
    // Still, but not yet for longer than a fold can be retried through an outage.
    expect(await pass(3 + goneMinutes - 1)).to.equal(0);
    // Gone, then: its change is counted here, once.
    expect(await pass(3 + goneMinutes + 1)).to.equal(1);
    expect(await pass(3 + goneMinutes + 2)).to.equal(1);
    expect(await journal().countDocuments({ counted: false })).to.equal(0);
  });

  it("applies another process's unapplied change on a read, and counts it once, after that process is gone", async () => {
    const accepted = await fileCase(t, alice);
    const caseId = new Types.ObjectId(accepted.id);
    const before = (await db().collection('cases').findOne({ _id: caseId }))!;
    await send(t, officer, accepted, { type: 'TRIAGE_ACCEPT' });
    // As another process left it: claimed in the journal, never applied nor counted.
    await db().collection('cases').replaceOne({ _id: caseId }, before);
    await leftBy('queue-counts:a-process-that-died', `${accepted.id}:2`);
    expect((await counts()).queues.triage).to.equal(1);
    t.clock.set('2026-11-02T09:01:00Z');
    // The read applies it; counting it waits: that process may have applied it too.
    const read = await t.http.get(`/api/v1/cases/${accepted.id}`).set(officer.auth).expect(200);
    expect(read.body.version).to.equal(2);
    expect((await counts()).queues.triage).to.equal(1);
    for (const minutes of [2, 3 + goneMinutes, 4 + goneMinutes]) await repairAt(minutes);
    const after = await counts();
    expect(after.total).to.equal(1);
    expect(after.queues.triage).to.equal(0);
    expect(await journal().countDocuments({ counted: false })).to.equal(0);
  });

  it('relays the emails of a change only once it is counted, so the two flags are never written at once', async () => {
    const filed = await fileCase(t, alice);
    const entry = `${filed.id}:1`;
    await t.server.services.notifications.relay();
    // As a change whose count is still being folded: its emails wait for the mark.
    await journal().updateOne({ _id: entry }, { $set: { counted: false, relayed: false } });
    await db().collection('notifications').deleteMany({});
    expect(await t.server.services.notifications.relay()).to.equal(0);
    expect((await journal().findOne({ _id: entry }))!.counted).to.equal(false);
    await journal().updateOne({ _id: entry }, { $set: { counted: true } });
    expect(await t.server.services.notifications.relay()).to.be.greaterThan(0);
    expect(await journal().findOne({ _id: entry })).to.deep.include({
      counted: true,
      relayed: true,
    });
  });

  it('counts a filing once whose case was written after the repair pass first found it missing', async () => {
    const filed = await fileCase(t, alice);
    // As the writer held up between its journal entry and its case insert left it.
    const record = (await db()
      .collection('cases')
      .findOne({ _id: new Types.ObjectId(filed.id) }))!;
    await db().collection('cases').deleteOne({ _id: record._id });
    await unfold(`${filed.id}:1`);
    expect((await counts()).total).to.equal(0);
    t.clock.set('2026-11-02T09:01:00Z');
    await t.server.services.cases.repairCounts();
    expect((await counts()).total).to.equal(0);
    // The case lands; the next pass counts it, once.
    await db().collection('cases').insertOne(record);
    await t.server.services.cases.repairCounts();
    expect(await counts()).to.deep.include({ total: 1 });
    await t.server.services.cases.repairCounts();
    expect(await counts()).to.deep.include({ total: 1 });
  });
});
