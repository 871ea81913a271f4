import { expect } from 'chai';
import { fileCase, timelineOf } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';

describe('cases under concurrent writers and tampering', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(() => t.reset());

  it('lets exactly one of 50 concurrent events with the same expectedVersion win', async () => {
    const complainant = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, complainant);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.http
          .post(`/api/v1/cases/${filed.id}/events`)
          .set(officer.auth)
          .send({ type: 'TRIAGE_ACCEPT', expectedVersion: 1 }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).to.have.length(1);
    expect(statuses.filter((s) => s === 409)).to.have.length(49);
    const timeline = await timelineOf(t, officer, filed.id);
    expect(timeline.entries.map((e) => e.type)).to.deep.equal(['FILED', 'TRIAGE_ACCEPT']);
    expect(timeline.verified).to.equal(true);
    const view = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth);
    expect(view.body.version).to.equal(2);
  });

  it('never loses an update when concurrent writers send no expectedVersion', async () => {
    const complainant = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, complainant);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.http
          .post(`/api/v1/cases/${filed.id}/events`)
          .set(officer.auth)
          .send({ type: 'ASSIGN', officerId: officer.id }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200).length;
    expect(ok + responses.filter((r) => r.status === 409).length).to.equal(10);
    const timeline = await timelineOf(t, officer, filed.id);
    // Every acknowledged write is in the history, and nothing else is.
    expect(timeline.entries).to.have.length(1 + ok);
    expect(timeline.verified).to.equal(true);
  });

  it('reports verified: false and where, when a stored timeline entry is altered', async () => {
    const complainant = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, complainant);
    await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'TRIAGE_ACCEPT' })
      .expect(200);
    const { Types } = await import('mongoose');
    const collection = t.server.database.connection.collection('cases');
    const stored = await collection.findOne({ _id: new Types.ObjectId(filed.id) });
    const timeline = stored!.timeline as { actor: { id: string } }[];
    timeline[1]!.actor.id = complainant.id;
    await collection.updateOne({ _id: stored!._id }, { $set: { timeline } });
    const after = await timelineOf(t, officer, filed.id);
    expect(after.verified).to.equal(false);
    expect(after.brokenAt).to.equal(2);
  });
});

describe('a writer that dies between claiming a version and updating the case', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  it('blocks other writers with 409 until its change is rolled forward on the next read', async () => {
    const complainant = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, complainant);
    const { Types } = await import('mongoose');
    const db = t.server.database.connection;
    const _id = new Types.ObjectId(filed.id);
    const beforeChange = await db.collection('cases').findOne({ _id });
    await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'TRIAGE_ACCEPT' })
      .expect(200);
    // Put the case back as it was: the claim (journal entry) exists, the update never landed.
    await db.collection('cases').replaceOne({ _id }, beforeChange!);

    // While the claim is fresh its writer may still be at work: others wait (409).
    const blocked = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'TRIAGE_ACCEPT' });
    expect(blocked.status).to.equal(409);
    const stale = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth).expect(200);
    expect(stale.body.version).to.equal(1);

    t.clock.advance(31_000);
    const view = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth).expect(200);
    expect(view.body).to.include({ version: 2, state: 'platformReview.investigating' });
    const timeline = await timelineOf(t, officer, filed.id);
    expect(timeline.entries.map((e) => e.type)).to.deep.equal(['FILED', 'TRIAGE_ACCEPT']);
    expect(timeline.verified).to.equal(true);
    await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'REQUEST_INFO', question: 'Which card?' })
      .expect(200);
  });
});
