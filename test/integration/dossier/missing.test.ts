import { expect } from 'chai';
import { fileCase, send, type CaseRef } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, FULL_CONTACT, type TestUser } from '../../helpers/users.ts';

type Missing = { fact: string; label: string; note: string };
type Printed = { what: string; details: string[] };

// The dossier's list of what the body still needs is the escalation's own rule: the facts and
// labels of ESCALATE's 422 and of the case view, in the dossier's language. An UPDATE_DETAILS
// entry of its timeline says which details it completed.
describe('dossier: what the consumer body still needs, and the details completed', () => {
  let t: TestServer;
  let officer: TestUser;

  before(async () => {
    t = await startTestServer();
    officer = await createUser(t, 'officer');
  });
  after(() => t.stop());

  const dossierOf = async (c: { id: string }) =>
    (await t.http.get(`/api/v1/cases/${c.id}/dossier`).set(officer.auth).expect(200)).body;

  /** Filed without the company's address or code by an account without contact details. */
  async function rejectedCase(complainant: TestUser, overrides: Record<string, unknown> = {}) {
    const filed = await fileCase(t, complainant, {
      respondent: { name: '某某支付', kind: 'platform' },
      ...overrides,
    });
    let c: CaseRef = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'rejected', message: '否' });
    return send(t, complainant, c, { type: 'REJECT_RESPONSE' });
  }

  it('lists the same facts as the 422 and the case view, in Chinese for a Chinese dossier', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN', contact: null });
    const c = await rejectedCase(complainant);
    const refused = await t.http
      .post(`/api/v1/cases/${c.id}/events`)
      .set(complainant.auth)
      .send({ type: 'ESCALATE' })
      .expect(422);
    const view = (await t.http.get(`/api/v1/cases/${c.id}`).set(officer.auth).expect(200)).body;
    const dossier = await dossierOf(c);

    const facts = (list: { fact: string }[]) => list.map((m) => m.fact);
    expect(facts(dossier.missing)).to.deep.equal([
      'complainant.phone',
      'complainant.postalAddress',
      'respondent.addressOrRegistrationNumber',
      'evidence',
    ]);
    expect(facts(dossier.missing)).to.deep.equal(facts(refused.body.missing));
    expect(facts(dossier.missing)).to.deep.equal(facts(view.escalation.missing));
    const labels = (list: { label: string }[]) => list.map((m) => m.label);
    expect(labels(dossier.missing)).to.deep.equal(labels(refused.body.missing));
    expect(dossier.missing.map((m: Missing) => m.note)).to.deep.equal([
      '投诉人电话号码',
      '投诉人通讯地址',
      '被投诉人地址或登记号码（在中国为统一社会信用代码）',
      '至少一份证据',
    ]);
    // The 12315 form's address box says it is still empty.
    const company = dossier.sections.find((s: { key: string }) => s.key === 'respondent');
    expect(company.lines).to.include('被投诉人地址：尚未填写（请在提交前补充）');
  });

  it('shrinks as the officer completes the details, and its timeline says which', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN', contact: null });
    const c = await rejectedCase(complainant);
    await t.http
      .put(`/api/v1/complainants/${complainant.id}/contact`)
      .set(officer.auth)
      .send(FULL_CONTACT)
      .expect(200);
    await send(t, officer, c, {
      type: 'UPDATE_DETAILS',
      respondent: { address: '上海市浦东新区 1 号', registrationNumber: '91350100m000100y43' },
    });
    const dossier = await dossierOf(c);
    expect(dossier.missing.map((m: Missing) => m.fact)).to.deep.equal(['evidence']);
    const entry = dossier.printedTimeline.find((e: Printed) => e.what === '已补充被投诉人信息');
    expect(entry.details).to.deep.equal([
      '被投诉人地址：上海市浦东新区 1 号',
      '登记号码（统一社会信用代码）：91350100M000100Y43',
    ]);
  });

  it('names only the detail an update gave, in English for an English dossier', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'en' });
    const c = await rejectedCase(complainant, {
      jurisdiction: 'GB',
      locale: 'en',
      currency: 'GBP',
      respondent: { name: 'Example Pay Ltd', kind: 'platform' },
    });
    await send(t, officer, c, {
      type: 'UPDATE_DETAILS',
      respondent: { registrationNumber: '01234567' },
    });
    const dossier = await dossierOf(c);
    const entry = dossier.printedTimeline.find(
      (e: Printed) => e.what === 'Company details completed',
    );
    expect(entry.details).to.deep.equal(['Registration number: 01234567']);
    // FOS wants the platform to have answered first, which it did; evidence is still missing.
    expect(dossier.missing).to.deep.equal([
      {
        fact: 'evidence',
        label: 'at least one piece of evidence',
        note: 'At least one piece of evidence',
      },
    ]);
  });
});
