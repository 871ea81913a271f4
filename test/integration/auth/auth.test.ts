import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';

describe('accounts and sign-in', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '3', TOKEN_TTL_HOURS: '2' });
  });
  after(() => t.stop());
  beforeEach(() => t.reset());

  const alice = { email: 'Alice@Example.com', password: 'a-long-password', name: 'Alice' };

  it('lets a person register as a complainant, sign in and see themselves', async () => {
    const reg = await t.http.post('/api/v1/auth/register').send({ ...alice, locale: 'zh-CN' });
    expect(reg.status).to.equal(201);
    expect(reg.body).to.include({
      email: 'alice@example.com',
      role: 'complainant',
      locale: 'zh-CN',
    });
    expect(reg.body).not.to.have.property('passwordHash');

    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'alice@example.com', password: alice.password })
      .expect(200);
    expect(login.body.token).to.match(/^rdt_/);
    expect(new Date(login.body.expiresAt).getTime()).to.be.greaterThan(t.clock.now().getTime());

    const me = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${login.body.token}`);
    expect(me.status).to.equal(200);
    expect(me.body.email).to.equal('alice@example.com');
  });

  it('stores the token and the password only as hashes', async () => {
    await t.http.post('/api/v1/auth/register').send(alice).expect(201);
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: alice.email, password: alice.password });
    const db = t.server.database.connection;
    const session = await db.collection('sessions').findOne({});
    const user = await db.collection('users').findOne({});
    expect(JSON.stringify(session)).not.to.contain(login.body.token);
    expect(user?.passwordHash).to.match(/^scrypt\$/);
    expect(JSON.stringify(user)).not.to.contain(alice.password);
  });

  it('refuses a second registration with the same email (any case) with 409', async () => {
    await t.http.post('/api/v1/auth/register').send(alice).expect(201);
    const again = await t.http
      .post('/api/v1/auth/register')
      .send({ ...alice, email: 'ALICE@example.com' });
    expect(again.status).to.equal(409);
  });

  it('answers a wrong password and an unknown account alike, with 401', async () => {
    await t.http.post('/api/v1/auth/register').send(alice).expect(201);
    const wrong = await t.http
      .post('/api/v1/auth/login')
      .send({ email: alice.email, password: 'not-the-password' });
    const unknown = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.com', password: 'not-the-password' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    expect(wrong.body.detail).to.equal(unknown.body.detail);
  });

  it('makes a token useless after logout', async () => {
    const user = await createUser(t, 'complainant');
    await t.http.post('/api/v1/auth/logout').set(user.auth).expect(204);
    const me = await t.http.get('/api/v1/me').set(user.auth);
    expect(me.status).to.equal(401);
    expect(me.body.detail).to.contain('not valid');
  });

  it('expires tokens after their lifetime and sweeps them', async () => {
    const user = await createUser(t, 'complainant');
    t.clock.advance(2 * 3_600_000 + 1000);
    const me = await t.http.get('/api/v1/me').set(user.auth);
    expect(me.status).to.equal(401);
    expect(me.body.detail).to.contain('expired');
    const swept = await t.server.services.auth.sweepExpired();
    expect(swept.sessions).to.equal(1);
    expect(await t.server.database.connection.collection('sessions').countDocuments()).to.equal(0);
  });

  it('refuses missing, malformed and forged tokens with 401', async () => {
    const missing = await t.http.get('/api/v1/me');
    expect(missing.status).to.equal(401);
    expect(missing.headers['www-authenticate']).to.contain('Bearer');
    const malformed = await t.http.get('/api/v1/me').set('Authorization', 'Basic YWxpY2U6cHc=');
    expect(malformed.status).to.equal(401);
    const forged = await t.http
      .get('/api/v1/me')
      .set('Authorization', 'Bearer rdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).to.equal(401);
  });

  it('throttles repeated failures on one account with 429 and Retry-After', async () => {
    await t.http.post('/api/v1/auth/register').send(alice).expect(201);
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: alice.email, password: 'wrong-password' })
        .expect(401);
    }
    const blocked = await t.http
      .post('/api/v1/auth/login')
      .send({ email: alice.email, password: alice.password });
    expect(blocked.status).to.equal(429);
    expect(Number(blocked.headers['retry-after'])).to.be.greaterThan(0);
    t.clock.advance(16 * 60_000);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: alice.email, password: alice.password })
      .expect(200);
  });

  it('throttles one address trying many accounts', async () => {
    const limited = await startTestServer({ LOGIN_MAX_ATTEMPTS_PER_IP: '4' });
    try {
      for (let i = 0; i < 4; i++) {
        await limited.http
          .post('/api/v1/auth/login')
          .send({ email: `user${i}@example.com`, password: 'wrong-password' })
          .expect(401);
      }
      const res = await limited.http
        .post('/api/v1/auth/login')
        .send({ email: 'someone-else@example.com', password: 'wrong-password' });
      expect(res.status).to.equal(429);
    } finally {
      await limited.stop();
    }
  });

  it('refuses self-registration when it is turned off', async () => {
    const closed = await startTestServer({ REGISTRATION_OPEN: 'false' });
    try {
      const res = await closed.http.post('/api/v1/auth/register').send(alice);
      expect(res.status).to.equal(403);
      expect(await closed.server.database.connection.collection('users').countDocuments()).to.equal(
        0,
      );
    } finally {
      await closed.stop();
    }
  });

  it('bootstraps the first admin from ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const boot = await startTestServer({
      ADMIN_EMAIL: 'root@example.com',
      ADMIN_PASSWORD: 'a-very-long-admin-password',
    });
    try {
      const login = await boot.http
        .post('/api/v1/auth/login')
        .send({ email: 'root@example.com', password: 'a-very-long-admin-password' })
        .expect(200);
      expect(login.body.user.role).to.equal('admin');
    } finally {
      await boot.stop();
    }
  });
});

describe('staff accounts and roles', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(() => t.reset());

  it('lets an admin create an officer who can then sign in', async () => {
    const admin = await createUser(t, 'admin');
    const res = await t.http.post('/api/v1/users').set(admin.auth).send({
      email: 'officer@example.com',
      password: 'officer-password',
      name: 'Officer',
      role: 'officer',
      locale: 'en',
    });
    expect(res.status).to.equal(201);
    expect(res.body.role).to.equal('officer');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'officer@example.com', password: 'officer-password' })
      .expect(200);
  });

  it('forbids complainants, officers and compliance from managing accounts', async () => {
    for (const role of ['complainant', 'officer', 'compliance'] as const) {
      const user = await createUser(t, role);
      const create = await t.http
        .post('/api/v1/users')
        .set(user.auth)
        .send({
          email: `x-${role}@example.com`,
          password: 'some-password',
          name: 'X',
          role: 'admin',
        });
      expect(create.status, role).to.equal(403);
      expect((await t.http.get('/api/v1/users').set(user.auth)).status, role).to.equal(403);
    }
    expect(await t.server.database.connection.collection('users').countDocuments()).to.equal(3);
  });

  it('lists accounts page by page', async () => {
    const admin = await createUser(t, 'admin');
    await createUser(t, 'officer');
    await createUser(t, 'compliance');
    const first = await t.http.get('/api/v1/users?limit=2').set(admin.auth).expect(200);
    expect(first.body.items).to.have.length(2);
    expect(first.body.nextCursor).to.be.a('string');
    const second = await t.http
      .get(`/api/v1/users?limit=2&after=${first.body.nextCursor}`)
      .set(admin.auth)
      .expect(200);
    expect(second.body.items).to.have.length(1);
    expect(second.body.nextCursor).to.equal(null);
    const officers = await t.http.get('/api/v1/users?role=officer').set(admin.auth).expect(200);
    expect(officers.body.items.map((u: { role: string }) => u.role)).to.deep.equal(['officer']);
  });

  it('disabling an account ends its sessions and blocks sign-in', async () => {
    const admin = await createUser(t, 'admin');
    const officer = await createUser(t, 'officer');
    await t.http
      .patch(`/api/v1/users/${officer.id}`)
      .set(admin.auth)
      .send({ disabled: true })
      .expect(200);
    const me = await t.http.get('/api/v1/me').set(officer.auth);
    expect(me.status).to.equal(401);
    expect(me.body.detail).to.contain('not valid');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: officer.email, password: officer.password })
      .expect(401);
  });

  it('answers 404 for an account that does not exist', async () => {
    const admin = await createUser(t, 'admin');
    const res = await t.http
      .patch('/api/v1/users/0123456789abcdef01234567')
      .set(admin.auth)
      .send({ disabled: true });
    expect(res.status).to.equal(404);
  });
});
