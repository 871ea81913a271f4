import { expect } from 'chai';
import { addEvidenceCount, fileCase, send, timelineOf, type CaseRef } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, FULL_CONTACT, type TestUser } from '../../helpers/users.ts';

// 12315 takes a complaint only with the complainant's phone and address and the respondent's
// address (or its unified social credit code): SAMR Order No. 20 art. 9. A new account has
// neither, so the case says what is missing before the complainant tries, ESCALATE names each
// missing fact, and once they are given the case escalates.
describe('cases: what the consumer body requires before escalation', () => {
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

  /** A CN case without the respondent's address, its response rejected: ready to escalate. */
  async function rejectedCase(
    overrides: Record<string, unknown> = {},
  ): Promise<CaseRef & Record<string, unknown>> {
    const filed = await fileCase(t, complainant, {
      respondent: { name: '某某支付', kind: 'platform' },
      ...overrides,
    });
    await addEvidenceCount(t, filed.id);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'rejected', message: '否' });
    return send(t, complainant, c, { type: 'REJECT_RESPONSE' });
  }

  const escalate = (c: { id: string }) =>
    t.http.post(`/api/v1/cases/${c.id}/events`).set(complainant.auth).send({ type: 'ESCALATE' });
  const view = async (c: { id: string }, user = complainant) =>
    (await t.http.get(`/api/v1/cases/${c.id}`).set(user.auth).expect(200)).body;

  const MISSING = ['complainant.phone', 'complainant.postalAddress'];
  const RESPONDENT = 'respondent.addressOrRegistrationNumber';

  it('says on the case what 12315 still needs, before anyone tries', async () => {
    const c = await rejectedCase();
    const { escalation, allowedEvents } = await view(c);
    expect(allowedEvents).to.include('ESCALATE');
    expect(escalation.body).to.deep.equal({ code: '12315', name: '全国12315平台 (SAMR)' });
    expect(escalation.ready).to.equal(false);
    expect(escalation.missing.map((m: { fact: string }) => m.fact)).to.deep.equal([
      ...MISSING,
      RESPONDENT,
    ]);
    // Officers working the case see the same.
    expect((await view(c, officer)).escalation.missing).to.have.length(3);
  });

  it('refuses ESCALATE with a 422 that names each missing fact, and changes nothing', async () => {
    const c = await rejectedCase();
    const res = await escalate(c);
    expect(res.status).to.equal(422);
    expect(res.body.type).to.equal('/problems/rule-refused');
    expect(res.body.reason).to.equal(
      "the escalation dossier is incomplete: missing complainant's phone number, complainant's postal address, respondent's address or registration number (in China, its unified social credit code)",
    );
    expect(res.body.missing).to.deep.equal([
      { fact: 'complainant.phone', label: "complainant's phone number" },
      { fact: 'complainant.postalAddress', label: "complainant's postal address" },
      {
        fact: RESPONDENT,
        label:
          "respondent's address or registration number (in China, its unified social credit code)",
      },
    ]);
    const after = await view(c);
    expect(after.state).to.equal('responseIssued.rejected');
    expect(after.version).to.equal(c.version);
  });

  it('escalates once the complainant completed their contact and the company details', async () => {
    let c = await rejectedCase();
    await t.http.put('/api/v1/me/contact').set(complainant.auth).send(FULL_CONTACT).expect(200);
    expect((await view(c)).escalation.missing.map((m: { fact: string }) => m.fact)).to.eql([
      RESPONDENT,
    ]);
    c = await send(t, complainant, c, {
      type: 'UPDATE_DETAILS',
      respondent: { registrationNumber: '91350100m000100y43' },
    });
    expect(c.state).to.equal('responseIssued.rejected');
    expect(c.respondent).to.deep.include({ registrationNumber: '91350100M000100Y43' });
    expect(c.escalation).to.deep.include({ ready: true, missing: [] });
    c = await send(t, complainant, c, { type: 'ESCALATE' });
    expect(c.state).to.equal('escalated.preparingSubmission');

    const timeline = await timelineOf(t, complainant, c.id);
    expect(timeline.verified).to.equal(true);
    const details = timeline.entries.find((e) => e.type === 'UPDATE_DETAILS');
    expect(details).to.deep.include({
      fromState: 'responseIssued.rejected',
      toState: 'responseIssued.rejected',
    });
  });

  it('takes the respondent address and code at filing, checking the check character', async () => {
    const bad = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .send({
        category: 'refund_not_received',
        jurisdiction: 'CN',
        locale: 'zh-CN',
        respondent: {
          name: '某某支付',
          kind: 'platform',
          registrationNumber: '91350100M000100Y44',
        },
        transaction: {
          occurredAt: '2026-11-01T10:00:00Z',
          amount: { amountMinor: 100, currency: 'CNY' },
        },
        narrative: '退款没有到账',
        desiredOutcome: '退款',
      });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors).to.deep.include({
      path: 'body.respondent.registrationNumber',
      message: 'the check character is wrong: the first 17 characters call for 3',
    });
    expect(await t.server.database.connection.collection('cases').countDocuments()).to.equal(0);

    const filed = await fileCase(t, complainant, {
      respondent: { name: '某某支付', kind: 'platform', address: '上海市浦东新区 1 号' },
    });
    const { escalation, respondent } = await view(filed);
    expect(respondent.address).to.equal('上海市浦东新区 1 号');
    expect(escalation.missing.map((m: { fact: string }) => m.fact)).to.deep.equal([
      ...MISSING,
      'evidence',
    ]);
  });

  it('refuses bad company details with a 400 naming the field, changing nothing', async () => {
    const c = await rejectedCase();
    const details = (respondent: Record<string, unknown>) =>
      t.http
        .post(`/api/v1/cases/${c.id}/events`)
        .set(complainant.auth)
        .send({ type: 'UPDATE_DETAILS', respondent });
    const wrongCheck = await details({ registrationNumber: '91350100M000100Y44' });
    expect(wrongCheck.status).to.equal(400);
    expect(wrongCheck.body.errors[0].path).to.equal('body.respondent.registrationNumber');
    const tooLong = await details({ address: '路'.repeat(501) });
    expect(tooLong.status).to.equal(400);
    expect(tooLong.body.errors[0].path).to.equal('body.respondent.address');
    expect((await details({})).status).to.equal(400);
    const after = await view(c);
    expect(after.version).to.equal(c.version);
    expect(after.respondent).to.not.have.property('registrationNumber');
  });

  it('lets the officer complete the company details, never a stranger', async () => {
    const c = await rejectedCase();
    const stranger = await createUser(t, 'complainant');
    const res = await t.http
      .post(`/api/v1/cases/${c.id}/events`)
      .set(stranger.auth)
      .send({ type: 'UPDATE_DETAILS', respondent: { address: '某地' } });
    expect(res.status).to.equal(404);
    const done = await send(t, officer, c, {
      type: 'UPDATE_DETAILS',
      respondent: { address: '上海市浦东新区 1 号' },
    });
    expect(done.respondent).to.deep.include({ address: '上海市浦东新区 1 号' });
  });

  it('asks the CFPB only for the state and ZIP code of the complainant', async () => {
    const c = await rejectedCase({
      jurisdiction: 'US',
      currency: 'USD',
      locale: 'en',
      respondent: { name: 'PayWallet Inc.', kind: 'platform' },
    });
    const res = await escalate(c);
    expect(res.status).to.equal(422);
    expect(res.body.missing.map((m: { fact: string }) => m.fact)).to.deep.equal([
      'complainant.regionAndPostalCode',
    ]);
  });
});
