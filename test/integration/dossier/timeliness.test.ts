import { expect } from 'chai';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const DAY = 86_400_000;

// The CFPB's "timely response", as the case view, the compliance export and the dossier report
// it: the same verdict and the same body clocks in all three.
describe('timeliness in the case view, the export and the dossier', function () {
  this.timeout(30_000);
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
    complainant = await createUser(t, 'complainant', { locale: 'zh-CN' });
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');
  });
  after(() => t.stop());

  const view = async (id: string, user: TestUser = officer) =>
    (await t.http.get(`/api/v1/cases/${id}`).set(user.auth).expect(200)).body;

  async function exported(reference: string) {
    const res = await t.http
      .get('/api/v1/exports/cases?format=ndjson')
      .set(compliance.auth)
      .buffer(true)
      .expect(200);
    const lines = String(res.text)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    return lines.find((line: { reference: string }) => line.reference === reference);
  }

  it('is open while the platform clocks run, and shows the 12315 clocks it would start', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const filed = await fileCase(t, complainant);
    const seen = await view(filed.id, complainant);
    expect(seen.timeliness).to.deep.include({
      timely: null,
      consumerBody: '12315',
      answered: null,
    });
    expect(seen.timeliness.acknowledged).to.deep.equal({
      status: 'running',
      dueAt: '2026-11-03T09:00:00.000Z',
      settledAt: null,
    });
    // Not escalated: projected as if it were today, 7 working days, then at most 45.
    expect(
      seen.timeliness.bodyClocks.map((c: { key: string; status: string; dueAt: string }) => [
        c.key,
        c.status,
        c.dueAt,
      ]),
    ).to.deep.equal([
      ['acceptance', 'pending', '2026-11-11T09:00:00.000Z'],
      ['mediation', 'pending', '2027-01-13T09:00:00.000Z'],
    ]);
  });

  it('is timely once acknowledged and answered in time, in the view, the export and the dossier', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const filed = await fileCase(t, complainant);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    t.clock.advance(3 * DAY);
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'upheld',
      message: '已退款。',
    });
    expect((c as { timeliness?: { timely: unknown } }).timeliness?.timely).to.equal(true);
    expect((await view(filed.id)).timeliness.answered).to.include({ status: 'met' });
    expect((await exported(filed.reference)).timeliness).to.include({ timely: true });
    const dossier = await t.http
      .get(`/api/v1/cases/${filed.id}/dossier`)
      .set(officer.auth)
      .expect(200);
    expect(dossier.body.timeliness.timely).to.equal(true);
    const section = dossier.body.sections.find((s: { key: string }) => s.key === 'timeliness');
    expect(section.lines[0]).to.equal('平台是否按时答复：是');
  });

  it('is late when the acknowledgement came after its deadline, even before the sweeper ran', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const filed = await fileCase(t, complainant);
    t.clock.advance(3 * DAY);
    await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    const seen = await view(filed.id);
    expect(seen.timeliness.timely).to.equal(false);
    expect(seen.timeliness.acknowledged.status).to.equal('missed');
    const line = await exported(filed.reference);
    expect(line.timeliness.timely).to.equal(false);
    // The CSV carries it on every row of the case.
    const csv = await t.http
      .get('/api/v1/exports/cases?format=csv')
      .set(compliance.auth)
      .buffer(true)
      .expect(200);
    const header = String(csv.text)
      .replace(/^\uFEFF/, '')
      .split('\n')[0]!;
    expect(header.split(',')).to.include.members(['timely', 'body_clocks']);
  });

  it('lists carry the same verdict, read from the clocks alone', async () => {
    const list = await t.http.get('/api/v1/cases?limit=50').set(officer.auth).expect(200);
    const verdicts = list.body.items.map(
      (item: { timeliness: { timely: unknown } }) => item.timeliness.timely,
    );
    expect(verdicts).to.have.members([null, true, false]);
  });
});
