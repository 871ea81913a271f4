import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

describe('GET /api/v1/complainants/:id (who a case is for)', () => {
  let t: TestServer;
  let officer: TestUser;
  let complainant: TestUser;
  before(async () => {
    t = await startTestServer();
    officer = await createUser(t, 'officer');
    complainant = await createUser(t, 'complainant', { name: '王芳', locale: 'zh-CN' });
  });
  after(() => t.stop());

  it('gives staff the complainant’s name, email and language', async () => {
    const res = await t.http
      .get(`/api/v1/complainants/${complainant.id}`)
      .set(officer.auth)
      .expect(200);
    expect(res.body).to.include({
      id: complainant.id,
      name: '王芳',
      email: complainant.email,
      locale: 'zh-CN',
    });
    expect(res.body).not.to.have.property('passwordHash');
  });

  it('is refused to complainants and answers 404 for anyone who is not a complainant', async () => {
    await t.http.get(`/api/v1/complainants/${officer.id}`).set(complainant.auth).expect(403);
    await t.http.get(`/api/v1/complainants/${officer.id}`).set(officer.auth).expect(404);
    await t.http.get('/api/v1/complainants/not-an-id').set(officer.auth).expect(400);
  });
});
