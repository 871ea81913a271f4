import { expect } from 'chai';
import { complaintBody, fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

describe('cases: bad input and access', () => {
  let t: TestServer;
  let complainant: TestUser;
  let stranger: TestUser;
  let officer: TestUser;
  let compliance: TestUser;

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    complainant = await createUser(t, 'complainant');
    stranger = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');
  });

  const casesCount = () => t.server.database.connection.collection('cases').countDocuments();

  const invalidBodies: [string, Record<string, unknown>, string][] = [
    ['an unknown category', complaintBody({ category: 'bad_vibes' }), 'body.category'],
    ['an unknown currency', complaintBody({ currency: 'XYZ' }), 'body.transaction.amount.currency'],
    [
      'a negative amount',
      complaintBody({ amountMinor: -5 }),
      'body.transaction.amount.amountMinor',
    ],
    [
      'a fractional minor amount',
      complaintBody({ amountMinor: 12.5 }),
      'body.transaction.amount.amountMinor',
    ],
    [
      'a narrative over the limit',
      complaintBody({ narrative: 'x'.repeat(10_001) }),
      'body.narrative',
    ],
    ['an unknown jurisdiction', complaintBody({ jurisdiction: 'QQ' }), 'body.jurisdiction'],
    ['an unknown field', complaintBody({ priority: 'vip' }), 'body'],
    [
      'an operator object instead of text',
      { ...complaintBody(), narrative: { $gt: '' } },
      'body.narrative',
    ],
    ['an unknown locale', complaintBody({ locale: 'fr' }), 'body.locale'],
  ];
  for (const [what, body, path] of invalidBodies) {
    it(`refuses a complaint with ${what} (400 naming ${path}), storing nothing`, async () => {
      const res = await t.http.post('/api/v1/cases').set(complainant.auth).send(body);
      expect(res.status).to.equal(400);
      expect(res.headers['content-type']).to.match(/problem\+json/);
      expect((res.body.errors as { path: string }[]).map((e) => e.path).join(' ')).to.contain(path);
      expect(await casesCount()).to.equal(0);
    });
  }

  it('refuses a transaction date in the future', async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .send(complaintBody({ occurredAt: '2027-01-01T00:00:00Z' }));
    expect(res.status).to.equal(400);
    expect(res.body.errors[0].path).to.equal('body.transaction.occurredAt');
    expect(await casesCount()).to.equal(0);
  });

  it('lets an officer file on behalf of a complainant, who then owns the case', async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(officer.auth)
      .send(complaintBody({ complainantId: complainant.id, channel: 'phone' }));
    expect(res.status).to.equal(201);
    expect(res.body.ownerId).to.equal(complainant.id);
    await t.http.get(`/api/v1/cases/${res.body.id}`).set(complainant.auth).expect(200);
  });

  it('forbids compliance and admins from filing or changing cases', async () => {
    const admin = await createUser(t, 'admin');
    for (const user of [compliance, admin]) {
      const res = await t.http.post('/api/v1/cases').set(user.auth).send(complaintBody());
      expect(res.status).to.equal(403);
    }
    const filed = await fileCase(t, complainant);
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(compliance.auth)
      .send({ type: 'TRIAGE_ACCEPT' });
    expect(res.status).to.equal(403);
  });

  it("answers 404 when a complainant asks for another complainant's case, however they ask", async () => {
    const filed = await fileCase(t, complainant);
    for (const path of [`/api/v1/cases/${filed.id}`, `/api/v1/cases/${filed.id}/timeline`]) {
      const res = await t.http.get(path).set(stranger.auth);
      expect(res.status, path).to.equal(404);
    }
    const event = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(stranger.auth)
      .send({ type: 'WITHDRAW' });
    expect(event.status).to.equal(404);
    const list = await t.http.get('/api/v1/cases').set(stranger.auth).expect(200);
    expect(list.body.items).to.deep.equal([]);
  });

  it('answers 400 for an id that is not an ObjectId and 404 for one that does not exist', async () => {
    await t.http.get('/api/v1/cases/123').set(officer.auth).expect(400);
    await t.http.get('/api/v1/cases/0123456789abcdef01234567').set(officer.auth).expect(404);
  });

  it('answers an event type that does not exist with 400', async () => {
    const filed = await fileCase(t, complainant);
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'TELEPORT' });
    expect(res.status).to.equal(400);
  });

  it('answers an event the state does not take with 409 and the events it does take', async () => {
    const filed = await fileCase(t, complainant);
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'RECORD_SUBMISSION', externalReference: 'X' });
    expect(res.status).to.equal(409);
    expect(res.body.allowedEvents).to.include('TRIAGE_ACCEPT');
    const after = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth);
    expect(after.body.version).to.equal(1);
  });

  it('answers an event from the wrong role with 403, the case unchanged', async () => {
    const filed = await fileCase(t, complainant);
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(complainant.auth)
      .send({ type: 'TRIAGE_ACCEPT' });
    expect(res.status).to.equal(403);
    const after = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth);
    expect(after.body).to.include({ version: 1, state: 'filed' });
  });

  it('answers a stale expectedVersion with 409 and the current version', async () => {
    const filed = await fileCase(t, complainant);
    await send(t, officer, filed, { type: 'TRIAGE_ACCEPT', expectedVersion: 1 });
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'REQUEST_INFO', question: '?', expectedVersion: 1 });
    expect(res.status).to.equal(409);
    expect(res.body.currentVersion).to.equal(2);
  });

  it('refuses to assign a case to someone who is not an active officer (422)', async () => {
    const filed = await fileCase(t, complainant);
    const res = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'ASSIGN', officerId: complainant.id });
    expect(res.status).to.equal(422);
  });

  it('refuses escalation in a jurisdiction with no consumer body, saying why', async () => {
    const filed = await fileCase(t, complainant, {
      jurisdiction: 'BR',
      currency: 'BRL',
      locale: 'en',
    });
    const { Types } = await import('mongoose');
    await t.server.database.connection
      .collection('cases')
      .updateOne({ _id: new Types.ObjectId(filed.id) }, { $inc: { evidenceCount: 1 } });
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'rejected', message: 'no' });
    c = await send(t, complainant, c, { type: 'REJECT_RESPONSE' });
    const res = await t.http
      .post(`/api/v1/cases/${c.id}/events`)
      .set(complainant.auth)
      .send({ type: 'ESCALATE' });
    expect(res.status).to.equal(422);
    expect(res.body.reason).to.contain('BR');
  });

  it('refuses escalation without evidence: the dossier is incomplete', async () => {
    const filed = await fileCase(t, complainant);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'rejected', message: 'no' });
    c = await send(t, complainant, c, { type: 'REJECT_RESPONSE' });
    const res = await t.http
      .post(`/api/v1/cases/${c.id}/events`)
      .set(complainant.auth)
      .send({ type: 'ESCALATE' });
    expect(res.status).to.equal(422);
    expect(res.body.reason).to.match(/evidence/i);
  });

  it('refuses list filters that do not parse, and a filedTo before filedFrom', async () => {
    await t.http.get('/api/v1/cases?overdue=perhaps').set(officer.auth).expect(400);
    await t.http.get('/api/v1/cases?limit=0').set(officer.auth).expect(400);
    await t.http.get('/api/v1/cases?cursor=nope').set(officer.auth).expect(400);
    const res = await t.http
      .get('/api/v1/cases?filedFrom=2026-11-10&filedTo=2026-11-01')
      .set(officer.auth);
    expect(res.status).to.equal(400);
    expect(res.body.errors[0].path).to.equal('query.filedTo');
  });
});
