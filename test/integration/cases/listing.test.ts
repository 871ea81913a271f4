import { expect } from 'chai';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

type Item = { id: string; reference: string; state: string };

describe('case lists: queues, filters, search and paging', () => {
  let t: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let officer: TestUser;
  let other: TestUser;

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    t.clock.set('2026-11-02T09:00:00Z');
    alice = await createUser(t, 'complainant', { email: 'alice.list@example.com' });
    bob = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
    other = await createUser(t, 'officer');
  });

  async function ids(user: TestUser, query: string): Promise<string[]> {
    const res = await t.http.get(`/api/v1/cases?${query}`).set(user.auth);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return (res.body.items as Item[]).map((c) => c.id);
  }

  it('answers each officer queue with exactly its cases, newest first', async () => {
    const triage = await fileCase(t, alice, { category: 'refund_not_received' });
    const urgent = await fileCase(t, alice, { category: 'account_compromised' });
    const calm = { category: 'refund_not_received' };
    const mine = await fileCase(t, bob, calm);
    const accepted = await send(t, officer, mine, { type: 'TRIAGE_ACCEPT' });
    await send(t, officer, accepted, { type: 'ASSIGN', officerId: officer.id });
    const theirs = await fileCase(t, bob, calm);
    const theirsAccepted = await send(t, officer, theirs, { type: 'TRIAGE_ACCEPT' });
    await send(t, officer, theirsAccepted, { type: 'ASSIGN', officerId: other.id });
    const unassigned = await fileCase(t, bob, calm);
    await send(t, officer, unassigned, { type: 'TRIAGE_ACCEPT' });
    const withdrawn = await fileCase(t, alice, calm);
    await send(t, alice, withdrawn, { type: 'WITHDRAW' });

    expect(await ids(officer, 'queue=triage')).to.deep.equal([urgent.id, triage.id]);
    expect(await ids(officer, 'queue=mine')).to.deep.equal([mine.id]);
    expect(await ids(other, 'queue=mine')).to.deep.equal([theirs.id]);
    expect(await ids(officer, 'queue=unassigned')).to.deep.equal([
      unassigned.id,
      urgent.id,
      triage.id,
    ]);
    expect(await ids(officer, 'queue=urgent')).to.deep.equal([urgent.id]);
    expect(await ids(officer, 'assignee=none&state=platformReview')).to.deep.equal([unassigned.id]);
    expect(await ids(officer, 'open=false')).to.deep.equal([withdrawn.id]);
    expect(await ids(officer, 'state=withdrawn')).to.deep.equal([withdrawn.id]);
    // Complainants see their own cases only, whatever they ask for.
    expect(await ids(alice, 'limit=50')).to.deep.equal([withdrawn.id, urgent.id, triage.id]);
    expect(await ids(alice, 'queue=mine')).to.deep.equal([]);
  });

  it('finds cases by reference, transaction reference, complainant email and words, in en and zh-CN', async () => {
    const zh = await fileCase(t, alice, {
      narrative: '我的账户在我不知情的情况下被扣款 1299 元。',
      transaction: {
        occurredAt: '2026-11-01T10:00:00Z',
        reference: 'WX-2026-7781',
        amount: { amountMinor: 129_900, currency: 'CNY' },
      },
    });
    const en = await fileCase(t, bob, {
      narrative: 'An unauthorized charge appeared on my Apple Pay wallet.',
      respondent: { name: 'Apple Pay', kind: 'platform' },
    });
    expect(await ids(officer, `q=${zh.reference}`)).to.deep.equal([zh.id]);
    expect(await ids(officer, `q=${zh.reference.toLowerCase()}`)).to.deep.equal([zh.id]);
    expect(await ids(officer, 'q=WX-2026-7781')).to.deep.equal([zh.id]);
    expect(await ids(officer, 'q=%20wx-2026-7781')).to.deep.equal([zh.id]);
    expect(await ids(alice, 'q=WX-2026-7781')).to.deep.equal([zh.id]);
    expect(await ids(bob, 'q=WX-2026-7781')).to.deep.equal([]);
    expect(await ids(officer, 'q=WX-2026-7781&state=closed')).to.deep.equal([]);
    expect(await ids(officer, 'q=alice.list%40example.com')).to.deep.equal([zh.id]);
    expect(await ids(officer, `q=${encodeURIComponent('被扣款')}`)).to.deep.equal([zh.id]);
    expect(await ids(officer, 'q=UNAUTHORIZED%20charge')).to.deep.equal([en.id]);
    expect(await ids(officer, 'q=apple')).to.deep.equal([en.id]);
    expect(await ids(officer, 'q=RD-2026')).to.deep.equal([en.id, zh.id]);
    expect(await ids(officer, 'q=nobody%40example.com')).to.deep.equal([]);
    expect(await ids(officer, 'q=refund%20unicorn')).to.deep.equal([]);
    // A complainant searching finds nothing of anyone else's.
    expect(await ids(alice, 'q=apple')).to.deep.equal([]);
  });

  it('includes the whole day of a bare filedTo date, as the exports do', async () => {
    t.clock.set('2026-01-31T22:30:00Z');
    const lastDay = await fileCase(t, alice, { occurredAt: '2026-01-30T10:00:00Z' });
    t.clock.set('2026-02-01T00:30:00Z');
    await fileCase(t, alice, { occurredAt: '2026-01-30T10:00:00Z' });
    expect(await ids(officer, 'filedFrom=2026-01-01&filedTo=2026-01-31')).to.deep.equal([
      lastDay.id,
    ]);
  });

  it('pages through 140 cases with a cursor, each exactly once, in a stable order', async function () {
    this.timeout(120_000);
    const filed: string[] = [];
    for (let i = 0; i < 140; i++) {
      filed.push(
        (
          await fileCase(t, i % 2 ? alice : bob, {
            category: i % 5 ? 'refund_not_received' : 'account_compromised',
          })
        ).id,
      );
    }
    const pages = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get(`/api/v1/cases?${query}&limit=9${cursor ? `&cursor=${cursor}` : ''}`)
          .set(officer.auth)
          .expect(200);
        seen.push(...(res.body.items as Item[]).map((c) => c.id));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      return seen;
    };
    expect(await pages('state=filed')).to.deep.equal([...filed].reverse());
    expect(await pages('urgent=true')).to.deep.equal(filed.filter((_, i) => i % 5 === 0).reverse());
  });

  it('orders by time left across pages: soonest deadline first, then cases without one, newest first', async function () {
    this.timeout(120_000);
    // More cases than one query reads whole, so the walk over due days and the reference
    // buckets is what answers; filed over a week at different hours, urgent ones due sooner.
    const filed: { id: string; version: number }[] = [];
    for (let i = 0; i < 76; i++) {
      t.clock.set(new Date(Date.parse('2026-11-02T09:00:00Z') + ((i * 37) % 160) * 3_600_000));
      filed.push(
        await fileCase(t, i % 2 ? alice : bob, {
          category: i % 4 ? 'refund_not_received' : 'unauthorized_transaction',
        }),
      );
    }
    t.clock.set('2026-11-09T12:00:00Z');
    for (const [i, c] of filed.slice(0, 6).entries()) {
      await send(t, i % 2 ? alice : bob, c, { type: 'WITHDRAW' });
    }
    const pages = async (query: string) => {
      const seen: (Item & { deadlines: { status: string; dueAt: string | null }[] })[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.http
          .get(`/api/v1/cases?${query}&limit=9${cursor ? `&cursor=${cursor}` : ''}`)
          .set(officer.auth)
          .expect(200);
        expect(res.body.order).to.equal('due');
        seen.push(...res.body.items);
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      return seen;
    };
    const seen = await pages('sort=due');
    expect(new Set(seen.map((c) => c.id)).size).to.equal(76);
    const dueOf = (c: (typeof seen)[number]) =>
      Math.min(
        ...c.deadlines
          .filter((d) => d.status === 'running' && d.dueAt)
          .map((d) => Date.parse(d.dueAt!)),
      );
    const number = (c: Item) => Number(c.reference.split('-')[2]);
    const expected = [...seen].sort((a, b) => dueOf(a) - dueOf(b) || number(b) - number(a));
    expect(seen.map((c) => c.reference)).to.deep.equal(expected.map((c) => c.reference));
    const undated = seen.filter((c) => dueOf(c) === Infinity);
    expect(undated.map((c) => c.state)).to.have.length.greaterThan(0);
    expect(seen.slice(-undated.length)).to.deep.equal(undated);
    // A queue in the same order, and free text, which stays newest first and says so.
    const urgent = await pages('sort=due&queue=urgent');
    expect(urgent.map((c) => c.id)).to.deep.equal(
      expected.filter((c) => urgent.some((u) => u.id === c.id)).map((c) => c.id),
    );
    const search = await t.http
      .get('/api/v1/cases?sort=due&q=refund')
      .set(officer.auth)
      .expect(200);
    expect(search.body.order).to.equal('filed');
  });

  it('keeps the dashboard counts equal to a recount, also under concurrent writers', async function () {
    this.timeout(60_000);
    const calm = { category: 'refund_not_received' };
    const cases = [];
    for (let i = 0; i < 12; i++)
      cases.push(await fileCase(t, i % 2 ? alice : bob, i % 3 ? calm : {}));
    for (const c of cases.slice(0, 6)) {
      const accepted = await send(t, officer, c, { type: 'TRIAGE_ACCEPT' });
      if (cases.indexOf(c) % 2)
        await send(t, officer, accepted, { type: 'ASSIGN', officerId: officer.id });
    }
    await send(t, alice, cases[7]!, { type: 'WITHDRAW' });
    // 20 officers' clients race to accept the same case: one wins, the others get 409.
    const raced = cases[9]!;
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.http
          .post(`/api/v1/cases/${raced.id}/events`)
          .set(officer.auth)
          .send({ type: 'TRIAGE_ACCEPT', expectedVersion: raced.version })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).to.have.length(1);

    const counts = (await t.http.get('/api/v1/cases/counts').set(officer.auth).expect(200)).body;
    const recount = async (query: string) => (await ids(officer, `${query}&limit=200`)).length;
    expect(counts).to.deep.equal({
      total: await recount('q=RD-2026'),
      open: await recount('open=true'),
      queues: {
        triage: await recount('queue=triage'),
        mine: await recount('queue=mine'),
        unassigned: await recount('queue=unassigned'),
        overdue: await recount('queue=overdue'),
        urgent: await recount('queue=urgent'),
        awaiting_complainant: await recount('queue=awaiting_complainant'),
        awaiting_bank: await recount('queue=awaiting_bank'),
        escalated: await recount('queue=escalated'),
      },
    });
    expect(counts.queues.triage).to.equal(4);
    expect(counts.queues.mine).to.equal(3);
    await t.http.get('/api/v1/cases/counts').set(alice.auth).expect(403);
  });
});
