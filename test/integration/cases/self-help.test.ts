import { expect } from 'chai';
import { CATEGORIES } from '../../../workflows/index.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

describe('self-help outcomes ("This solved it")', () => {
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;
  let admin: TestUser;

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
  });
  after(async () => {
    await t.stop();
  });
  beforeEach(async () => {
    await t.reset();
    t.clock.set('2026-11-02T09:00:00Z');
    complainant = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');
    admin = await createUser(t, 'admin');
  });

  const solved = (user: TestUser, body: unknown) =>
    t.http
      .post('/api/v1/self-help/solved')
      .set(user.auth)
      .send(body as object);
  const counts = (user: TestUser, query = '') =>
    t.http.get(`/api/v1/self-help/solved${query}`).set(user.auth);

  it('counts every one of 20 concurrent outcomes', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => solved(complainant, { category: 'refund_not_received' })),
    );
    for (const res of results) expect(res.status, JSON.stringify(res.body)).to.equal(204);
    const res = await counts(officer);
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(20);
    expect(res.body.byCategory.refund_not_received).to.equal(20);
  });

  it('lists all categories, zero when none, and keeps no personal data', async () => {
    await solved(complainant, { category: 'account_compromised' }).expect(204);
    await solved(officer, { category: 'account_compromised' }).expect(204);
    await solved(admin, { category: 'other' }).expect(204);
    const res = await counts(compliance);
    expect(res.status).to.equal(200);
    expect(Object.keys(res.body.byCategory).sort()).to.deep.equal([...CATEGORIES].sort());
    expect(res.body.total).to.equal(3);
    expect(res.body.byCategory.account_compromised).to.equal(2);
    expect(res.body.byCategory.other).to.equal(1);
    for (const category of CATEGORIES) {
      if (!['account_compromised', 'other'].includes(category)) {
        expect(res.body.byCategory[category], category).to.equal(0);
      }
    }
    const stored = await t.server.database.connection
      .collection('self_help_outcomes')
      .find({})
      .toArray();
    expect(stored).to.have.length(3);
    for (const doc of stored) {
      expect(Object.keys(doc).sort()).to.deep.equal(['_id', 'at', 'category', 'day']);
    }
  });

  it('counts by range: a bare `to` date includes its whole UTC day', async () => {
    await solved(complainant, { category: 'other' }).expect(204); // 2026-11-02
    t.clock.set('2026-11-05T23:59:00Z');
    await solved(complainant, { category: 'other' }).expect(204);
    t.clock.set('2026-11-06T00:00:00Z');
    await solved(complainant, { category: 'other' }).expect(204);

    const only5 = await counts(officer, '?from=2026-11-05&to=2026-11-05');
    expect(only5.body.total).to.equal(1);
    expect(only5.body.from).to.equal('2026-11-05T00:00:00.000Z');
    expect(only5.body.to).to.equal('2026-11-06T00:00:00.000Z');
    expect((await counts(officer, '?from=2026-11-01&to=2026-11-30')).body.total).to.equal(3);
    expect((await counts(officer, '?from=2026-11-06T00:00:00Z')).body.total).to.equal(1);
    // The default is the last 30 days up to now.
    expect((await counts(officer)).body.total).to.equal(3);
    t.clock.set('2027-01-01T00:00:00Z');
    expect((await counts(officer)).body.total).to.equal(0);
  });

  it('refuses bad input with a problem and counts nothing', async () => {
    for (const body of [{}, { category: 'nope' }, { category: 'other', userId: 'x' }, []]) {
      const res = await solved(complainant, body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
    }
    for (const query of [
      '?from=2026-13-01',
      '?from=2026-11-05&to=2026-11-01',
      '?from=2025-01-01&to=2026-11-01',
      '?since=2026-01-01',
    ]) {
      const res = await counts(officer, query);
      expect(res.status, query).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
    }
    expect((await counts(officer)).body.total).to.equal(0);
  });

  it('lets only staff read the counts, and needs a sign-in to post', async () => {
    const res = await counts(complainant);
    expect(res.status).to.equal(403);
    await solved(compliance, { category: 'other' }).expect(403);
    await t.http.post('/api/v1/self-help/solved').send({ category: 'other' }).expect(401);
  });
});
