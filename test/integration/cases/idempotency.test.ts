import { expect } from 'chai';
import { complaintBody, fileCase } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

describe('retries with an Idempotency-Key', () => {
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    complainant = await createUser(t, 'complainant');
    officer = await createUser(t, 'officer');
  });

  const count = (name: string) => t.server.database.connection.collection(name).countDocuments();

  it('files a complaint once however often the client retries, answering the same', async () => {
    const first = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .set('Idempotency-Key', 'file-1')
      .send(complaintBody());
    const again = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .set('Idempotency-Key', 'file-1')
      .send(complaintBody());
    expect(first.status).to.equal(201);
    expect(again.status).to.equal(201);
    expect(again.body.id).to.equal(first.body.id);
    expect(again.headers['idempotency-replayed']).to.equal('true');
    expect(await count('cases')).to.equal(1);
  });

  it('refuses the same key with a different body (422), changing nothing', async () => {
    await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .set('Idempotency-Key', 'file-2')
      .send(complaintBody())
      .expect(201);
    const res = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .set('Idempotency-Key', 'file-2')
      .send(complaintBody({ narrative: 'something else' }));
    expect(res.status).to.equal(422);
    expect(await count('cases')).to.equal(1);
  });

  it('applies an event once when retried, and keys are per caller', async () => {
    const filed = await fileCase(t, complainant);
    for (let i = 0; i < 3; i++) {
      const res = await t.http
        .post(`/api/v1/cases/${filed.id}/events`)
        .set(officer.auth)
        .set('Idempotency-Key', 'triage')
        .send({ type: 'TRIAGE_ACCEPT' });
      expect(res.status).to.equal(200);
      expect(res.body.version).to.equal(2);
    }
    // The complainant's own key of the same name is not the officer's.
    const withdraw = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(complainant.auth)
      .set('Idempotency-Key', 'triage')
      .send({ type: 'WITHDRAW' });
    expect(withdraw.status).to.equal(200);
    expect(withdraw.body.state).to.equal('withdrawn');
  });

  it('lets a client retry after a refused first attempt', async () => {
    const filed = await fileCase(t, complainant);
    const refused = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .set('Idempotency-Key', 'submit')
      .send({ type: 'RECORD_SUBMISSION', externalReference: 'x' });
    expect(refused.status).to.equal(409);
    expect(await count('idempotency_keys')).to.equal(0);
  });

  it('refuses a malformed key with 400', async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .set('Idempotency-Key', 'has spaces & a slash/')
      .send(complaintBody());
    expect(res.status).to.equal(400);
    expect(await count('cases')).to.equal(0);
  });
});
