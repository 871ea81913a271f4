import { expect } from 'chai';
import type { Collection } from 'mongodb';
import { createQueueCounts } from '../../../server/cases/queue-counts.ts';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';

/**
 * The queue counts' group commit (queue-counts.ts): folds that arrive while one is written
 * wait and go together in one write, each still counted and marked exactly once.
 */
describe('queue counts written together under concurrent writers', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(() => t.reset());

  type Shard = {
    _id: string;
    kind: string;
    counts: Record<string, number>;
    lastFold?: string[];
    beat?: number;
  };
  const shards = (): Collection<Shard> =>
    t.server.database.connection.db!.collection<Shard>('queue_counts_group_test');

  it('folds 30 concurrent batches in two writes, counting and marking each exactly once', async () => {
    await shards().deleteMany({});
    const counts = createQueueCounts(shards() as never);
    const marked: string[] = [];
    const markCounted = async (batch: string) => void marked.push(batch);
    const batches = Array.from({ length: 30 }, (_, i) => `batch-${i}`);
    await Promise.all(
      batches.map((batch, i) => counts.fold(batch, { total: 1, [`f:n=${i % 3}`]: 1 }, markCounted)),
    );
    const totals = await counts.totals();
    expect(totals).to.include({ total: 30, 'f:n=0': 10, 'f:n=1': 10, 'f:n=2': 10 });
    expect(marked.sort()).to.deep.equal([...batches].sort());
    // The first went alone; the 29 that waited for it were written together and named so.
    const [shard] = await shards().find({}).toArray();
    expect(shard!.lastFold).to.have.length(29);
    expect([...(await counts.lastFolds())].sort()).to.deep.equal(shard!.lastFold!.sort());
    // A delta with no batch waits its turn too, and changes nothing else.
    await counts.apply({ total: -1 });
    expect((await counts.totals()).total).to.equal(29);
    expect((await shards().findOne({}))!.lastFold).to.have.length(29);
  });

  it('applies a write sent again after its answer was lost only once (the driver resends it)', async () => {
    await shards().deleteMany({});
    // Every shard write reaches the database twice, as when FerretDB died before answering
    // the first and the driver sent it again.
    const resending = new Proxy(shards(), {
      get(target, key, receiver) {
        if (key !== 'updateOne') return Reflect.get(target, key, receiver);
        return async (...args: Parameters<Collection<Shard>['updateOne']>) => {
          await target.updateOne(...args);
          return target.updateOne(...args);
        };
      },
    });
    const counts = createQueueCounts(resending as never);
    const markCounted = async () => undefined;
    await counts.fold('batch-once', { total: 1, open: 1 }, markCounted);
    expect(await counts.totals()).to.include({ total: 1, open: 1 });
    await counts.fold('batch-next', { total: 1 }, markCounted);
    expect((await counts.totals()).total).to.equal(2);
  });

  it('folds a batch once however often it is asked for: a writer held up past the stale period and the repair pass', async () => {
    await shards().deleteMany({});
    const counts = createQueueCounts(shards() as never);
    const marked: string[] = [];
    const markCounted = async (batch: string) => void marked.push(batch);
    // Both asking while it is being written, then once more after it landed.
    await Promise.all([
      counts.fold('batch-raced', { total: 1, triage: 1 }, markCounted),
      counts.fold('batch-raced', { total: 1, triage: 1 }, markCounted),
    ]);
    expect(counts.knows('batch-raced')).to.equal(true);
    await counts.fold('batch-raced', { total: 1, triage: 1 }, markCounted);
    expect(await counts.totals()).to.include({ total: 1, triage: 1 });
    // The late one still marks it, in case the first was cut off before its marks.
    expect(marked).to.deep.equal(['batch-raced', 'batch-raced']);
    expect(counts.knows('batch-never-asked')).to.equal(false);
  });

  it('takes over the shards of processes gone for good, keeping the totals, and leaves live ones alone', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const alice = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    for (let i = 0; i < 3; i++) await fileCase(t, alice);
    const db = t.server.database.connection.db!;
    const stored = db.collection<Shard>('case_queue_counts');
    const journal = db.collection<{ _id: string; countBatch: string; counted: boolean }>(
      'case_changes',
    );
    // A process that died after folding a batch and before marking it counted.
    await stored.insertOne({
      _id: 'queue-counts:gone',
      kind: 'queue-counts',
      counts: { total: 2, open: 2, triage: 2 },
      beat: 7,
      lastFold: ['batch-gone'],
    });
    await journal.insertOne({ _id: 'gone:1', countBatch: 'batch-gone', counted: false });
    // Another that is alive: its beat moves between passes.
    await stored.insertOne({
      _id: 'queue-counts:alive',
      kind: 'queue-counts',
      counts: { total: 1, open: 1, triage: 1 },
      beat: 1,
    });
    const dashboard = async () =>
      (await t.http.get('/api/v1/cases/counts').set(officer.auth).expect(200)).body;
    const before = await dashboard();
    expect(before).to.deep.include({ total: 6, open: 6 });
    const ids = async () => (await stored.find({}).toArray()).map((shard) => shard._id).sort();

    await t.server.services.cases.repairCounts();
    t.clock.set('2026-11-02T11:00:00Z');
    await stored.updateOne({ _id: 'queue-counts:alive' }, { $set: { beat: 2 } });
    await t.server.services.cases.repairCounts();
    expect(await ids()).to.include.members(['queue-counts:gone', 'queue-counts:alive']);

    // The test server repairs every hour: a shard must stand still 4 hours.
    t.clock.set('2026-11-02T13:01:00Z');
    await stored.updateOne({ _id: 'queue-counts:alive' }, { $set: { beat: 3 } });
    await t.server.services.cases.repairCounts();
    expect(await ids()).to.not.include('queue-counts:gone');
    expect(await ids()).to.include('queue-counts:alive');
    expect(await dashboard()).to.deep.equal(before);
    // Its folded batch is marked, so the repair pass will not fold it a second time.
    expect((await journal.findOne({ _id: 'gone:1' }))!.counted).to.equal(true);
    t.clock.set('2026-11-02T15:00:00Z');
    await t.server.services.cases.repairCounts();
    expect(await dashboard()).to.deep.equal(before);
  });

  it('only removes a shard whose adopter died after adding it up', async () => {
    const officer = await createUser(t, 'officer');
    const db = t.server.database.connection.db!;
    const stored = db.collection<Shard>('case_queue_counts');
    await stored.insertMany([
      { _id: 'queue-counts:half', kind: 'queue-counts', counts: { total: 4 }, beat: 1 },
      {
        _id: 'queue-counts:adopter',
        kind: 'queue-counts',
        counts: { total: 4 },
        beat: 9,
        lastFold: ['adopted:queue-counts:half'],
      },
    ]);
    await t.server.services.cases.repairCounts();
    const counts = (await t.http.get('/api/v1/cases/counts').set(officer.auth).expect(200)).body;
    expect(counts.total).to.equal(4);
    expect(await stored.findOne({ _id: 'queue-counts:half' })).to.equal(null);
  });

  it('keeps the dashboard counts equal to a recount after 16 concurrent filings and transitions', async () => {
    const alice = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await Promise.all(Array.from({ length: 16 }, () => fileCase(t, alice)));
    await Promise.all(filed.slice(0, 8).map((c) => send(t, officer, c, { type: 'TRIAGE_ACCEPT' })));
    const counts = (await t.http.get('/api/v1/cases/counts').set(officer.auth).expect(200)).body;
    expect(counts.total).to.equal(16);
    expect(counts.queues.triage).to.equal(8);
    const listed = await t.http
      .get('/api/v1/cases?queue=triage&limit=50')
      .set(officer.auth)
      .expect(200);
    expect(listed.body.items).to.have.length(8);
  });
});
