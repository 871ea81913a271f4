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

  type Shard = { _id: string; kind: string; counts: Record<string, number>; lastFold?: string[] };
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
