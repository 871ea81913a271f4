import { expect } from 'chai';
import { Types } from 'mongoose';
import { complaintBody, fileCase } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// ASVS 5.1.2 (mass assignment): a field the caller may not set is refused with a 400 naming
// it, and nothing changes. Every request schema is strict, so this holds for each endpoint;
// these are the fields that would matter if it did not.

function expectRefusedNaming(res: { status: number; body: Record<string, unknown> }, path: string) {
  expect(res.status, JSON.stringify(res.body)).to.equal(400);
  const named = ((res.body.errors ?? []) as { path: string }[]).map((e) => e.path).join(' ');
  expect(named, JSON.stringify(res.body)).to.contain(path);
}

describe('security: fields a role may not set (ASVS 5.1.2)', () => {
  let t: TestServer;
  let owner: TestUser;
  let stranger: TestUser;
  let officer: TestUser;
  let admin: TestUser;

  before(async () => {
    t = await startTestServer();
    owner = await createUser(t, 'complainant');
    stranger = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
    admin = await createUser(t, 'admin');
  });
  after(() => t.stop());
  beforeEach(async () => {
    const db = t.server.database.connection;
    await Promise.all(['cases', 'case_changes'].map((c) => db.collection(c).deleteMany({})));
  });

  const caseCount = () => t.server.database.connection.collection('cases').countDocuments();

  const serverOwnedCaseFields: [string, unknown][] = [
    ['state', 'closed'],
    ['ownerId', new Types.ObjectId().toHexString()],
    ['assigneeId', new Types.ObjectId().toHexString()],
    ['version', 99],
    ['reference', 'RD-2026-000001'],
    ['timeline', []],
    ['evidenceCount', 5],
    ['urgent', true],
    ['deadlines', {}],
    ['_id', new Types.ObjectId().toHexString()],
  ];
  for (const [field, value] of serverOwnedCaseFields) {
    it(`refuses a complaint that sets ${field} (400 naming body.${field}), filing nothing`, async () => {
      const res = await t.http
        .post('/api/v1/cases')
        .set(owner.auth)
        .send(complaintBody({ [field]: value }));
      expectRefusedNaming(res, 'body');
      expect(JSON.stringify(res.body.errors)).to.contain(field);
      expect(await caseCount()).to.equal(0);
    });
  }

  it("refuses a complainant filing in another complainant's name (403), filing nothing", async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(owner.auth)
      .send(complaintBody({ complainantId: stranger.id }));
    expect(res.status).to.equal(403);
    expect(await caseCount()).to.equal(0);
  });

  // The envelope (who, when, the case facts) is the server's: a body that names it gets a 403
  // for the role it claims, or the field is dropped and the entry records the caller and the
  // server's clock. (Refusing it with a 400, as other bodies are, is the cases module's call.)
  const forgedEnvelopes: Record<string, unknown>[] = [
    { type: 'TRIAGE_ACCEPT', actor: { id: 'x', role: 'officer' } },
    { type: 'WITHDRAW', actor: { id: 'x', role: 'officer' } },
    { type: 'WITHDRAW', at: '2020-01-01T00:00:00Z' },
    { type: 'WITHDRAW', facts: { ownerId: 'x' } },
    { type: 'WITHDRAW', state: 'closed', version: 99, ownerId: 'x' },
  ];
  for (const body of forgedEnvelopes) {
    it(`refuses the server's envelope in an event body (400 naming it): ${JSON.stringify(body)}`, async () => {
      const filed = await fileCase(t, owner);
      const res = await t.http.post(`/api/v1/cases/${filed.id}/events`).set(owner.auth).send(body);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
      const forged = Object.keys(body).filter((key) => key !== 'type');
      for (const key of forged) expect(JSON.stringify(res.body)).to.contain(key);
      const timeline = await t.http
        .get(`/api/v1/cases/${filed.id}/timeline`)
        .set(owner.auth)
        .expect(200);
      expect(timeline.body.entries).to.have.length(1);
      expect(timeline.body.verified).to.equal(true);
    });
  }

  it('refuses the system’s own event (DEADLINE_PASSED) from any person (403)', async () => {
    const filed = await fileCase(t, owner);
    for (const user of [owner, officer]) {
      const res = await t.http
        .post(`/api/v1/cases/${filed.id}/events`)
        .set(user.auth)
        .send({ type: 'DEADLINE_PASSED', deadline: 'acknowledge' });
      expect(res.status, user.role).to.be.oneOf([400, 403]);
    }
    const after = await t.http.get(`/api/v1/cases/${filed.id}`).set(owner.auth).expect(200);
    expect(after.body.version).to.equal(filed.version);
  });

  it('refuses a note that names its own author or time (400)', async () => {
    const filed = await fileCase(t, owner);
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/notes`)
      .set(officer.auth)
      .send({ text: 'x', actor: { id: admin.id, role: 'admin' } });
    expectRefusedNaming(res, 'body');
    const after = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth).expect(200);
    expect(after.body.version).to.equal(filed.version);
  });

  const registrationExtras: [string, unknown][] = [
    ['role', 'admin'],
    ['disabled', false],
    ['passwordHash', 'scrypt$1$1$1$AAAA$AAAA'],
    ['_id', new Types.ObjectId().toHexString()],
  ];
  for (const [field, value] of registrationExtras) {
    it(`refuses a registration that sets ${field} (400), creating no account`, async () => {
      const before = await t.server.database.connection.collection('users').countDocuments();
      const res = await t.http.post('/api/v1/auth/register').send({
        email: `reg-${field}@example.com`,
        password: 'a-long-unusual-pw',
        name: 'R',
        [field]: value,
      });
      expectRefusedNaming(res, 'body');
      expect(JSON.stringify(res.body.errors)).to.contain(field);
      const users = t.server.database.connection.collection('users');
      expect(await users.countDocuments()).to.equal(before);
    });
  }

  it('refuses an admin setting email, password hash or id on an account (400), changing nothing', async () => {
    const users = t.server.database.connection.collection('users');
    const before = await users.findOne({ _id: new Types.ObjectId(officer.id) });
    for (const body of [
      { email: 'taken@example.com' },
      { passwordHash: 'scrypt$1$1$1$AAAA$AAAA' },
      { _id: new Types.ObjectId().toHexString() },
      { role: 'superuser' },
    ]) {
      const res = await t.http.patch(`/api/v1/users/${officer.id}`).set(admin.auth).send(body);
      expectRefusedNaming(res, 'body');
    }
    expect(await users.findOne({ _id: new Types.ObjectId(officer.id) })).to.deep.equal(before);
  });

  it('refuses every other role changing an account’s role (403), the role unchanged', async () => {
    for (const user of [owner, officer]) {
      const res = await t.http
        .patch(`/api/v1/users/${user.id}`)
        .set(user.auth)
        .send({ role: 'admin' });
      expect(res.status, user.role).to.equal(403);
    }
    const users = t.server.database.connection.collection('users');
    expect((await users.findOne({ _id: new Types.ObjectId(owner.id) }))?.role).to.equal(
      'complainant',
    );
    expect((await users.findOne({ _id: new Types.ObjectId(officer.id) }))?.role).to.equal(
      'officer',
    );
  });

  it('refuses a query that tries to widen a list to fields it does not take (400)', async () => {
    await fileCase(t, stranger);
    for (const query of [`ownerId=${stranger.id}`, 'owner=any', 'role=officer']) {
      const res = await t.http.get(`/api/v1/cases?${query}`).set(owner.auth);
      expect(res.status, query).to.equal(400);
    }
  });
});
