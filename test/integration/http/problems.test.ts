import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';

describe('errors are RFC 9457 problem documents', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ JSON_BODY_LIMIT: '2kb' });
  });
  after(() => t.stop());
  beforeEach(() => t.reset());

  it('answers malformed JSON with 400 malformed-json and stores nothing', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@example.com", "password": ');
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body).to.include({ type: '/problems/malformed-json', status: 400 });
    expect(res.body.requestId).to.be.a('string');
    expect(await t.server.database.connection.collection('users').countDocuments()).to.equal(0);
  });

  it('answers an unknown route with 404 naming it', async () => {
    const res = await t.http.get('/api/v1/nothing-here');
    expect(res.status).to.equal(404);
    expect(res.body.detail).to.contain('/api/v1/nothing-here');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'a@example.com', password: 'x'.repeat(5000), name: 'A' });
    expect(res.status).to.equal(413);
    expect(res.body.type).to.equal('/problems/payload-too-large');
  });

  it('answers a form-encoded body on a JSON endpoint with 415', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .type('form')
      .send('email=a@example.com&password=whatever');
    expect(res.status).to.equal(415);
  });

  it('lists every failing field of an invalid body', async () => {
    const res = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'not-an-email', password: 'short', name: 42, extra: true });
    expect(res.status).to.equal(400);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).to.include.members(['body.email', 'body.password', 'body.name']);
    expect(JSON.stringify(res.body.errors)).to.contain('extra');
  });

  it('refuses a query-operator object where a string belongs, without matching anyone', async () => {
    const officer = await createUser(t, 'officer');
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: { $gt: '' }, password: { $ne: null } });
    expect(res.status).to.equal(400);
    expect(res.body.token).to.equal(undefined);
    const asString = await t.http
      .post('/api/v1/auth/login')
      .send({ email: officer.email, password: '{"$ne": null}' });
    expect(asString.status).to.equal(401);
  });

  it('refuses an invalid id in the path with 400', async () => {
    const admin = await createUser(t, 'admin');
    const res = await t.http
      .patch('/api/v1/users/not-an-object-id')
      .set(admin.auth)
      .send({ disabled: true });
    expect(res.status).to.equal(400);
    expect(res.body.errors[0].path).to.equal('params.id');
  });

  it('echoes a caller-supplied request id and makes one up otherwise', async () => {
    const given = await t.http.get('/healthz').set('X-Request-Id', 'trace-123');
    expect(given.headers['x-request-id']).to.equal('trace-123');
    const made = await t.http.get('/healthz');
    expect(made.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await t.http.get('/healthz');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-powered-by']).to.equal(undefined);
  });
});
