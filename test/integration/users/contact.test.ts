import { expect } from 'chai';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const ADDRESS = {
  lines: ['上海市浦东新区世纪大道 88 号', '12 楼'],
  locality: '上海市',
  region: '上海市',
  postalCode: '200120',
  country: 'CN',
};

describe('users: contact details on the account', () => {
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;

  before(async () => {
    t = await startTestServer();
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    complainant = await createUser(t, 'complainant', { contact: null });
    officer = await createUser(t, 'officer');
  });

  const mine = async () =>
    (await t.http.get('/api/v1/me/contact').set(complainant.auth).expect(200)).body;
  const put = (body: unknown, user = complainant) =>
    t.http
      .put('/api/v1/me/contact')
      .set(user.auth)
      .send(body as object);

  it('starts empty, then keeps the phone in E.164 and the address as given', async () => {
    expect(await mine()).to.deep.equal({ phone: null, postalAddress: null });
    const res = await put({ phone: '138 1234 5678', postalAddress: ADDRESS });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ phone: '+8613812345678', postalAddress: ADDRESS });
    expect(await mine()).to.deep.equal(res.body);
    // A national number is read in the address's country; an international one as it is.
    const uk = await put({ phone: '020 7946 0958', postalAddress: { ...ADDRESS, country: 'GB' } });
    expect(uk.body.phone).to.equal('+442079460958');
    expect((await put({ phone: '+1 202-555-0143', postalAddress: null })).body).to.deep.equal({
      phone: '+12025550143',
      postalAddress: null,
    });
  });

  it('refuses a malformed phone or a too-long address with a 400 naming the field, keeping what was there', async () => {
    await put({ phone: '+8613812345678', postalAddress: ADDRESS }).expect(200);
    const phone = await put({ phone: '+86 123', postalAddress: ADDRESS });
    expect(phone.status).to.equal(400);
    expect(phone.body.errors).to.deep.include({
      path: 'body.phone',
      message: 'not a valid number in its country',
    });
    const long = await put({
      phone: null,
      postalAddress: { ...ADDRESS, lines: ['路'.repeat(201)] },
    });
    expect(long.status).to.equal(400);
    expect(long.body.errors[0].path).to.equal('body.postalAddress.lines.0');
    const country = await put({ phone: null, postalAddress: { ...ADDRESS, country: 'China' } });
    expect(country.body.errors[0].path).to.equal('body.postalAddress.country');
    // Both fields are stated, so a client cannot clear one by forgetting it.
    expect((await put({ phone: '+8613812345678' })).status).to.equal(400);
    expect(await mine()).to.deep.equal({ phone: '+8613812345678', postalAddress: ADDRESS });
  });

  it("lets an officer read and set a complainant's contact when filing on their behalf", async () => {
    const path = `/api/v1/complainants/${complainant.id}/contact`;
    const set = await t.http
      .put(path)
      .set(officer.auth)
      .send({ phone: '13812345678', postalAddress: ADDRESS });
    expect(set.status).to.equal(200);
    expect(set.body.phone).to.equal('+8613812345678');
    expect((await t.http.get(path).set(officer.auth).expect(200)).body).to.deep.equal(set.body);
    expect(await mine()).to.deep.equal(set.body);
    // Not an officer's own account, nor any account that is not a complainant's.
    await t.http.get(`/api/v1/complainants/${officer.id}/contact`).set(officer.auth).expect(404);
  });

  it("refuses contact details for a disabled complainant's account (409), storing nothing", async () => {
    const admin = await createUser(t, 'admin');
    await t.http
      .patch(`/api/v1/users/${complainant.id}`)
      .set(admin.auth)
      .send({ disabled: true })
      .expect(200);
    const path = `/api/v1/complainants/${complainant.id}/contact`;
    const res = await t.http
      .put(path)
      .set(officer.auth)
      .send({ phone: '13812345678', postalAddress: ADDRESS });
    expect(res.status).to.equal(409);
    expect(res.type).to.equal('application/problem+json');
    const kept = (await t.http.get(path).set(officer.auth).expect(200)).body;
    expect(kept.phone ?? null).to.equal(null);
  });

  it('keeps contact details to the complainant and the staff', async () => {
    const other = await createUser(t, 'complainant');
    const path = `/api/v1/complainants/${complainant.id}/contact`;
    await t.http.get(path).set(other.auth).expect(403);
    await t.http.put(path).set(other.auth).send({ phone: null, postalAddress: null }).expect(403);
    await t.http.get('/api/v1/me/contact').set(officer.auth).expect(403);
    await t.http.get('/api/v1/me/contact').expect(401);
  });
});
