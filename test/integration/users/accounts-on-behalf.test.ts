import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { complaintBody } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const LINK = /https:\/\/redress\.example\/set-password\?token=([\w%-]+)/;
const DAY = 86_400_000;

describe('accounts for filing on behalf', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let officer: TestUser;
  let admin: TestUser;
  let compliance: TestUser;
  let someone: TestUser;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Redress <no-reply@redress.example>',
      PUBLIC_URL: 'https://redress.example/',
      TOKEN_TTL_HOURS: '8760',
      LOGIN_MAX_ATTEMPTS_PER_IP: '5',
    });
  });
  after(async () => {
    await t.stop();
    await smtp.stop();
  });
  beforeEach(async () => {
    await t.reset();
    smtp.clear();
    t.clock.set('2026-11-02T09:00:00Z');
    officer = await createUser(t, 'officer', { name: 'Olivia Officer' });
    admin = await createUser(t, 'admin');
    compliance = await createUser(t, 'compliance');
    someone = await createUser(t, 'complainant', { email: 'known@example.com' });
  });

  const open = (user: TestUser, body: unknown) =>
    t.http
      .post('/api/v1/complainants')
      .set(user.auth)
      .send(body as object);
  const setPassword = (body: unknown) => t.http.post('/api/v1/auth/password').send(body as object);
  const login = (email: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password });

  async function delivered(address: string): Promise<ReceivedMail[]> {
    await t.server.services.notifications.runOnce();
    return smtp.to(address);
  }

  function tokenIn(message: ReceivedMail): string {
    const match = LINK.exec(message.text);
    expect(match, message.text).to.not.equal(null);
    return decodeURIComponent(match![1]!);
  }

  describe('GET /complainants?email=', () => {
    it('finds complainant accounts only, as zero or one item, never a 404', async () => {
      const found = await t.http
        .get('/api/v1/complainants?email=KNOWN@example.com')
        .set(officer.auth);
      expect(found.status).to.equal(200);
      expect(found.body.items).to.have.length(1);
      expect(found.body.items[0]).to.include({ id: someone.id, email: 'known@example.com' });
      for (const email of ['nobody@example.com', officer.email]) {
        const res = await t.http.get(`/api/v1/complainants?email=${email}`).set(admin.auth);
        expect(res.status, email).to.equal(200);
        expect(res.body.items, email).to.deep.equal([]);
      }
    });

    it('refuses a bad email (400) and anyone but officers and admins (403)', async () => {
      const bad = await t.http.get('/api/v1/complainants?email=not-an-email').set(officer.auth);
      expect(bad.status).to.equal(400);
      expect(bad.type).to.equal('application/problem+json');
      await t.http.get('/api/v1/complainants').set(officer.auth).expect(400);
      for (const user of [someone, compliance]) {
        await t.http.get('/api/v1/complainants?email=a@b.co').set(user.auth).expect(403);
      }
    });
  });

  describe('POST /complainants and the set-password link', () => {
    it('opens an account without a usable password and emails a link that sets one, once', async () => {
      const res = await open(officer, {
        email: 'New.Person@example.com',
        name: 'New Person',
        locale: 'en',
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ email: 'new.person@example.com', role: 'complainant' });
      expect(res.body).to.not.have.property('passwordHash');

      const [mail, ...more] = await delivered('new.person@example.com');
      expect(more).to.have.length(0);
      expect(mail!.subject).to.equal('Set the password of your Redress account');
      expect(mail!.text).to.contain('Dear New Person');
      const token = tokenIn(mail!);
      expect(mail!.html).to.contain('href="https://redress.example/set-password?token=');

      // Only the hash is kept; the outbox copy is gone once the email is sent.
      const db = t.server.database.connection;
      const stored = JSON.stringify(await db.collection('password_links').find({}).toArray());
      expect(stored).not.to.contain(token);
      const outbox = JSON.stringify(await db.collection('notifications').find({}).toArray());
      expect(outbox).not.to.contain(token);

      const short = await setPassword({ token, password: 'short' });
      expect(short.status).to.equal(400);
      await setPassword({ token, password: 'a-good-long-password' }).expect(204);
      await login('new.person@example.com', 'a-good-long-password').expect(200);

      const again = await setPassword({ token, password: 'another-long-password' });
      expect(again.status).to.equal(400);
      expect(again.type).to.equal('application/problem+json');
      expect(again.body.detail).to.contain('already used');
      await login('new.person@example.com', 'another-long-password').expect(401);
    });

    it('writes to the person in their language', async () => {
      await open(admin, { email: 'zhang@example.com', name: '张三', locale: 'zh-CN' }).expect(201);
      const [mail] = await delivered('zhang@example.com');
      expect(mail!.subject).to.equal('请设置您的 Redress 账户密码');
      expect(mail!.text).to.contain('张三，您好').and.contain('设置密码');
      tokenIn(mail!);
    });

    it('refuses a taken email (409), bad input (400) and other roles (403), changing nothing', async () => {
      const taken = await open(officer, { email: 'known@example.com', name: 'X', locale: 'en' });
      expect(taken.status).to.equal(409);
      expect(taken.type).to.equal('application/problem+json');
      for (const body of [
        {},
        { email: 'nope', name: 'X', locale: 'en' },
        { email: 'a@example.com', name: '', locale: 'en' },
        { email: 'a@example.com', name: 'X', locale: 'fr' },
        { email: 'a@example.com', name: 'X' },
        { email: 'a@example.com', name: 'X', locale: 'en', password: 'given-by-officer' },
        { email: 'a@example.com', name: 'X', locale: 'en', role: 'admin' },
      ]) {
        const res = await open(officer, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
      }
      for (const user of [someone, compliance]) {
        await open(user, { email: 'b@example.com', name: 'B', locale: 'en' }).expect(403);
      }
      const lookup = await t.http.get('/api/v1/complainants?email=a@example.com').set(officer.auth);
      expect(lookup.body.items).to.deep.equal([]);
      expect(await delivered('a@example.com')).to.have.length(0);
    });

    it('refuses links that are unknown, expired or replaced, with a clear detail', async () => {
      const created = await open(officer, { email: 'p@example.com', name: 'P', locale: 'en' });
      const first = tokenIn((await delivered('p@example.com'))[0]!);

      const unknown = await setPassword({ token: 'rdp_nothing', password: 'a-good-long-password' });
      expect(unknown.status).to.equal(400);
      expect(unknown.body.detail).to.contain('not valid');

      // A new link replaces the old one.
      await t.http
        .post(`/api/v1/complainants/${created.body.id}/password-link`)
        .set(officer.auth)
        .expect(204);
      const second = tokenIn((await delivered('p@example.com'))[1]!);
      expect(second).to.not.equal(first);
      const replaced = await setPassword({ token: first, password: 'a-good-long-password' });
      expect(replaced.status).to.equal(400);
      expect(replaced.body.detail).to.match(/newer|not valid/);

      t.clock.advance(7 * DAY + 1);
      const expired = await setPassword({ token: second, password: 'a-good-long-password' });
      expect(expired.status).to.equal(400);
      expect(expired.body.detail).to.contain('expired');
      await login('p@example.com', 'a-good-long-password').expect(401);

      // Only complainant accounts get links.
      await t.http
        .post(`/api/v1/complainants/${officer.id}/password-link`)
        .set(officer.auth)
        .expect(404);
    });

    it('lets only one of two concurrent uses of a link through', async () => {
      await open(officer, { email: 'q@example.com', name: 'Q', locale: 'en' }).expect(201);
      const token = tokenIn((await delivered('q@example.com'))[0]!);
      const results = await Promise.all([
        setPassword({ token, password: 'first-long-password' }),
        setPassword({ token, password: 'second-long-password' }),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([204, 400]);
    });

    it('slows down a client that keeps presenting bad links (429)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push(
          (await setPassword({ token: `rdp_guess${i}`, password: 'long-enough-pw' })).status,
        );
      }
      expect(statuses.slice(0, 5)).to.deep.equal([400, 400, 400, 400, 400]);
      expect(statuses.slice(5)).to.deep.equal([429, 429]);
    });
  });

  describe('GET /officers', () => {
    it('lists enabled officers by name for officers and admins only', async () => {
      const zed = await createUser(t, 'officer', { name: 'Zed Officer' });
      const amy = await createUser(t, 'officer', { name: 'Amy Officer' });
      const gone = await createUser(t, 'officer', { name: 'Bob Gone' });
      await t.http
        .patch(`/api/v1/users/${gone.id}`)
        .set(admin.auth)
        .send({ disabled: true })
        .expect(200);
      const res = await t.http.get('/api/v1/officers').set(officer.auth);
      expect(res.status).to.equal(200);
      expect(res.body.items).to.deep.equal([
        { id: amy.id, name: 'Amy Officer', email: amy.email },
        { id: officer.id, name: 'Olivia Officer', email: officer.email },
        { id: zed.id, name: 'Zed Officer', email: zed.email },
      ]);
      await t.http.get('/api/v1/officers').set(admin.auth).expect(200);
      for (const user of [someone, compliance]) {
        await t.http.get('/api/v1/officers').set(user.auth).expect(403);
      }
    });
  });

  describe('filing on behalf of a new complainant', () => {
    it('files for the account just opened; the complainant sees the case and gets the email', async () => {
      const created = await open(officer, {
        email: 'caller@example.com',
        name: 'Caller',
        locale: 'en',
      });
      const filed = await t.http
        .post('/api/v1/cases')
        .set(officer.auth)
        .send(complaintBody({ complainantId: created.body.id, channel: 'phone', locale: 'en' }));
      expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
      expect(filed.body).to.include({ ownerId: created.body.id, channel: 'phone' });

      const mails = await delivered('caller@example.com');
      const token = tokenIn(mails.find((m) => LINK.test(m.text))!);
      const filing = mails.filter((m) => m.subject.includes(filed.body.reference));
      expect(filing, mails.map((m) => m.subject).join(' | ')).to.have.length(1);

      await setPassword({ token, password: 'caller-long-password' }).expect(204);
      const session = await login('caller@example.com', 'caller-long-password').expect(200);
      const auth = { Authorization: `Bearer ${session.body.token}` };
      const list = await t.http.get('/api/v1/cases').set(auth).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).to.deep.equal([filed.body.id]);
      await t.http.get(`/api/v1/cases/${filed.body.id}`).set(auth).expect(200);
      const timeline = await t.http.get(`/api/v1/cases/${filed.body.id}/timeline`).set(auth);
      expect(timeline.body.entries[0].data).to.include({
        onBehalfOf: created.body.id,
        channel: 'phone',
      });
    });
  });
});

describe('the set-password email without PUBLIC_URL', () => {
  let t: TestServer;

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());

  it('names the path on the Redress website, and the token in it works', async () => {
    const officer = await createUser(t, 'officer');
    await t.http
      .post('/api/v1/complainants')
      .set(officer.auth)
      .send({ email: 'nourl@example.com', name: 'No Url', locale: 'en' })
      .expect(201);
    await t.server.services.notifications.runOnce();
    const outbox = t.server.config.outboxDir;
    const files = readdirSync(outbox);
    expect(files).to.have.length(1);
    const parsed = await simpleParser(readFileSync(join(outbox, files[0]!)));
    const match =
      /open the Redress website and go to this address: (\/set-password\?token=\S+)/.exec(
        parsed.text ?? '',
      );
    expect(match, parsed.text).to.not.equal(null);
    expect(typeof parsed.html === 'string' ? parsed.html : '').not.to.contain(
      'href="/set-password',
    );
    const token = decodeURIComponent(new URL(match![1]!, 'http://x').searchParams.get('token')!);
    await t.http
      .post('/api/v1/auth/password')
      .send({ token, password: 'a-good-long-password' })
      .expect(204);
  });
});
