import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

function cookiesOf(setCookie: string[] | string | undefined): Map<string, string> {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return new Map(list.map((line) => [line.split('=')[0]!, line]));
}

function valueOf(line: string | undefined): string {
  return line!.split(';')[0]!.split('=').slice(1).join('=');
}

describe('browser sessions (cookie + CSRF token)', () => {
  let t: TestServer;
  let user: TestUser;
  let session: string;
  let csrf: string;

  before(async () => {
    t = await startTestServer();
    user = await createUser(t, 'officer');
  });
  after(() => t.stop());

  beforeEach(async () => {
    const res = await t.http
      .post('/api/v1/auth/session')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const cookies = cookiesOf(res.headers['set-cookie']);
    const sessionLine = cookies.get('redress_session')!;
    expect(sessionLine)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i)
      .and.match(/Path=\//);
    expect(cookies.get('redress_csrf')).not.to.match(/HttpOnly/i);
    session = valueOf(sessionLine);
    csrf = valueOf(cookies.get('redress_csrf'));
    expect(res.body.csrfToken).to.equal(csrf);
    expect(res.body).not.to.have.property('token');
    expect(res.body.user.email).to.equal(user.email);
  });

  it('signs in a browser: the cookie alone reads, and the session endpoint repeats the CSRF token', async () => {
    await t.http.get('/api/v1/me').set('Cookie', `redress_session=${session}`).expect(200);
    const current = await t.http
      .get('/api/v1/auth/session')
      .set('Cookie', `redress_session=${session}`)
      .expect(200);
    expect(current.body.user.email).to.equal(user.email);
    expect(current.body.csrfToken).to.equal(csrf);
  });

  it('answers the session endpoint with user null, not 401, before anyone signs in', async () => {
    const res = await t.http.get('/api/v1/auth/session').expect(200);
    expect(res.body).to.deep.equal({ user: null });
  });

  it('refuses an unsafe request on the cookie without the CSRF token, and changes nothing', async () => {
    const res = await t.http
      .post('/api/v1/auth/logout')
      .set('Cookie', `redress_session=${session}`)
      .expect(403);
    expect(res.headers['content-type']).to.match(/application\/problem\+json/);
    expect(res.body.detail).to.match(/CSRF/);
    await t.http.get('/api/v1/me').set('Cookie', `redress_session=${session}`).expect(200);
  });

  it('refuses a wrong CSRF token and a foreign Origin even with the right token', async () => {
    await t.http
      .post('/api/v1/auth/logout')
      .set('Cookie', `redress_session=${session}`)
      .set(
        'X-CSRF-Token',
        csrf.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      )
      .expect(403);
    await t.http
      .post('/api/v1/auth/logout')
      .set('Cookie', `redress_session=${session}`)
      .set('X-CSRF-Token', csrf)
      .set('Origin', 'https://evil.example')
      .expect(403);
    await t.http.get('/api/v1/me').set('Cookie', `redress_session=${session}`).expect(200);
  });

  it('signs out with the token: the session is revoked and both cookies are cleared', async () => {
    const res = await t.http
      .post('/api/v1/auth/logout')
      .set('Cookie', `redress_session=${session}; redress_csrf=${csrf}`)
      .set('X-CSRF-Token', csrf)
      .set('Origin', t.server.url)
      .expect(204);
    const cleared = cookiesOf(res.headers['set-cookie']);
    expect(cleared.get('redress_session')).to.match(/Expires=Thu, 01 Jan 1970/);
    expect(cleared.get('redress_csrf')).to.match(/Expires=Thu, 01 Jan 1970/);
    await t.http.get('/api/v1/me').set('Cookie', `redress_session=${session}`).expect(401);
  });

  it('keeps bearer tokens working without any CSRF token, even next to a cookie', async () => {
    await t.http
      .post('/api/v1/auth/logout')
      .set('Cookie', `redress_session=${session}`)
      .set(user.auth)
      .expect(204);
    await t.http.get('/api/v1/me').set(user.auth).expect(401);
    await t.http.get('/api/v1/me').set('Cookie', `redress_session=${session}`).expect(200);
  });
});
