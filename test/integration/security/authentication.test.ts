import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser } from '../../helpers/users.ts';

// ASVS 2.1.1 / 2.1.7 (password length, common passwords), 2.2.1 (anti-automation), 3.2.x and
// 2.5.x (no account enumeration through sign-in's answer or its timing).

const login = (t: TestServer, email: string, password: string) =>
  t.http.post('/api/v1/auth/login').send({ email, password });

/** A problem document without what differs on every response. */
function comparable(body: Record<string, unknown>) {
  const { requestId: _r, instance: _i, ...rest } = body;
  return rest;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('security: sign-in and registration (ASVS V2)', () => {
  describe('the same answer for an unknown email, a wrong password and a disabled account', () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({
        LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '1000',
        LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
      });
    });
    after(() => t.stop());

    it('answers all three with the same status, headers and problem body', async () => {
      const known = await createUser(t, 'complainant');
      const disabled = await createUser(t, 'complainant');
      await t.server.services.users.update(disabled.id, { disabled: true });
      const answers = [
        await login(t, known.email, 'not-the-right-password'),
        await login(t, 'nobody-here@example.com', 'not-the-right-password'),
        await login(t, disabled.email, disabled.password),
      ];
      for (const res of answers) {
        expect(res.status).to.equal(401);
        expect(res.headers['www-authenticate']).to.equal(answers[0]!.headers['www-authenticate']);
        expect(res.headers['content-type']).to.equal(answers[0]!.headers['content-type']);
        expect(comparable(res.body)).to.deep.equal(comparable(answers[0]!.body));
        expect(res.headers).not.to.have.property('retry-after');
      }
    });

    it('spends about the same time on an unknown email as on a wrong password (the dummy hash)', async function () {
      this.timeout(60_000);
      const known = await createUser(t, 'complainant');
      const timings = { wrong: [] as number[], unknown: [] as number[] };
      // Interleaved, so a busy moment on the machine falls on both alike.
      for (let i = 0; i < 9; i++) {
        for (const kind of ['wrong', 'unknown'] as const) {
          const started = process.hrtime.bigint();
          const email = kind === 'wrong' ? known.email : `nobody${i}@example.com`;
          await login(t, email, `not-the-password-${i}`).expect(401);
          timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      const ratio = median(timings.unknown) / median(timings.wrong);
      // A skipped scrypt would make an unknown email many times faster (a hash is ~50 ms).
      expect(ratio, JSON.stringify(timings)).to.be.within(0.6, 1.6);
    });
  });

  describe('rate limits', () => {
    let t: TestServer;
    before(async () => {
      t = await startTestServer({
        LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '3',
        LOGIN_MAX_ATTEMPTS_PER_IP: '6',
      });
    });
    after(() => t.stop());
    beforeEach(() => t.reset());

    it('lets no more than the limit of 20 concurrent wrong guesses be tried; the rest get 429', async () => {
      const user = await createUser(t, 'complainant');
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          login(t, user.email, `guess-number-${i}`).then((res) => res.status),
        ),
      );
      expect(
        statuses.filter((s) => s === 401),
        statuses.join(','),
      ).to.have.length(3);
      expect(statuses.filter((s) => s === 429)).to.have.length(17);
      // The correct password is refused too until the window ends: the account is locked.
      await login(t, user.email, user.password).expect(429);
      t.clock.advance(16 * 60_000);
      await login(t, user.email, user.password).expect(200);
    });

    it('lets no more than the address limit of 20 concurrent guesses at different accounts through', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          login(t, `someone${i}@example.com`, 'wrong-password-here').then((res) => res.status),
        ),
      );
      expect(
        statuses.filter((s) => s === 401),
        statuses.join(','),
      ).to.have.length(6);
      expect(statuses.filter((s) => s === 429)).to.have.length(14);
    });

    it('counts an email in any letter case as the same account', async () => {
      const user = await createUser(t, 'complainant');
      for (const email of [user.email, user.email.toUpperCase(), `  ${user.email}`.trim()]) {
        await login(t, email, 'wrong-password-here').expect(401);
      }
      await login(
        t,
        user.email.replace(/^./, (c) => c.toUpperCase()),
        user.password,
      ).expect(429);
    });

    it('uses up no limit with successful sign-ins', async () => {
      const user = await createUser(t, 'complainant');
      for (let i = 0; i < 10; i++) await login(t, user.email, user.password).expect(200);
      await login(t, user.email, 'wrong-password-here').expect(401);
    });

    it('keys the address limit on the connection, not on a forged X-Forwarded-For', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await t.http
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', `203.0.113.${i}`)
          .send({ email: `someone${i}@example.com`, password: 'wrong-password-here' });
        statuses.push(res.status);
      }
      expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 401, 429, 429]);
    });

    it('limits registrations per address, also the ones refused as taken, and then lets them resume', async () => {
      const register = (i: number) =>
        t.http.post('/api/v1/auth/register').send({
          email: `person${i % 4}@example.com`,
          password: 'a-long-unusual-pw',
          name: `Person ${i}`,
        });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await register(i)).status);
      expect(statuses).to.deep.equal([201, 201, 201, 201, 409, 409, 429]);
      const refused = await register(9);
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers['retry-after'])).to.be.greaterThan(0);
      expect(refused.headers['content-type']).to.match(/^application\/problem\+json/);
      const users = t.server.database.connection.collection('users');
      expect(await users.countDocuments()).to.equal(4);
      t.clock.advance(16 * 60_000);
      await t.http
        .post('/api/v1/auth/register')
        .send({ email: 'later@example.com', password: 'a-long-unusual-pw', name: 'Later' })
        .expect(201);
    });
  });

  describe('password rules: at least 12 characters, not a common password', () => {
    let t: TestServer;
    let smtp: TestSmtpServer;
    before(async () => {
      smtp = await startSmtpServer();
      t = await startTestServer({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://redress.example/' });
    });
    after(async () => {
      await t.stop();
      await smtp.stop();
    });
    beforeEach(() => t.reset());

    const refusedPasswords: [string, string, string][] = [
      ['11 characters', 'abcdefghij1', 'at least 12 characters'],
      ['a listed password with digits', 'password1234', 'too common'],
      ['a listed password in capitals and punctuation', 'Football2024!', 'too common'],
      ['a listed long password', 'unbelievable', 'too common'],
      ['a repeated word', 'monkeymonkey', 'too common'],
      ['a run of digits', '123456789012', 'too common'],
      ['a run of keys', 'qwertyuiopas', 'too common'],
      ['one character repeated', 'aaaaaaaaaaaa', 'too common'],
    ];

    function expectPasswordRefused(res: { status: number; body: Record<string, unknown> }) {
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      return (res.body.errors as { path: string; message: string }[]).find(
        (e) => e.path === 'body.password',
      );
    }

    for (const [what, password, message] of refusedPasswords) {
      it(`refuses ${what} on registration (400 naming body.password), creating nothing`, async () => {
        const res = await t.http
          .post('/api/v1/auth/register')
          .send({ email: 'new@example.com', password, name: 'New' });
        expect(expectPasswordRefused(res)?.message).to.contain(message);
        expect(await t.server.database.connection.collection('users').countDocuments()).to.equal(0);
      });
    }

    it('accepts 12 characters that are not common, and a long passphrase', async () => {
      for (const [i, password] of ['kx7-vw2-qp9z', 'correct horse battery staple'].entries()) {
        await t.http
          .post('/api/v1/auth/register')
          .send({ email: `ok${i}@example.com`, password, name: 'OK' })
          .expect(201);
        await login(t, `ok${i}@example.com`, password).expect(200);
      }
    });

    it('applies the same rule when an admin creates an account and when a link sets a password', async () => {
      const admin = await createUser(t, 'admin');
      const created = await t.http
        .post('/api/v1/users')
        .set(admin.auth)
        .send({ email: 'o@example.com', password: 'password1234', name: 'O', role: 'officer' });
      expect(expectPasswordRefused(created)?.message).to.contain('too common');

      const officer = await createUser(t, 'officer');
      const opened = await t.http
        .post('/api/v1/complainants')
        .set(officer.auth)
        .send({ email: 'c@example.com', name: 'C', locale: 'en' })
        .expect(201);
      expect(opened.body.email).to.equal('c@example.com');
      await t.server.services.notifications.runOnce();
      const mail = smtp.to('c@example.com')[0]!;
      const token = decodeURIComponent(/set-password\?token=([\w%-]+)/.exec(mail.text)![1]!);
      for (const password of ['short-pw', 'iloveyou1234']) {
        const res = await t.http.post('/api/v1/auth/password').send({ token, password });
        expect(expectPasswordRefused(res), password).to.not.equal(undefined);
      }
      // The refusals did not spend the link.
      await t.http
        .post('/api/v1/auth/password')
        .send({ token, password: 'my-own-good-phrase' })
        .expect(204);
      const session = await login(t, 'c@example.com', 'my-own-good-phrase').expect(200);

      // A new link, used: every session from before the new password ends (ASVS 3.3.3).
      smtp.clear();
      await t.http
        .post(`/api/v1/complainants/${opened.body.id}/password-link`)
        .set(officer.auth)
        .expect(204);
      await t.server.services.notifications.runOnce();
      const again = decodeURIComponent(
        /set-password\?token=([\w%-]+)/.exec(smtp.to('c@example.com')[0]!.text)![1]!,
      );
      await t.http
        .post('/api/v1/auth/password')
        .send({ token: again, password: 'my-next-good-phrase' })
        .expect(204);
      const bearer = { Authorization: `Bearer ${session.body.token as string}` };
      await t.http.get('/api/v1/me').set(bearer).expect(401);
    });

    it('takes a 64-character passphrase and refuses one over 200 characters (400)', async () => {
      const long = 'seven blue herons cross the quiet river at dawn, twice a year!!'.padEnd(
        64,
        '.',
      );
      expect(long).to.have.length(64);
      await t.http
        .post('/api/v1/auth/register')
        .send({ email: 'long@example.com', password: long, name: 'L' })
        .expect(201);
      await login(t, 'long@example.com', long).expect(200);
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email: 'longer@example.com', password: 'x7-'.repeat(67) + 'ab', name: 'L' });
      expect(expectPasswordRefused(res)).to.not.equal(undefined);
    });
  });
});
