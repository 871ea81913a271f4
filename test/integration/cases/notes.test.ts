import { expect } from 'chai';
import { verifyExport } from '../../../server/exports/verify.ts';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const SECRET = 'INTERNAL-ONLY suspected first-party fraud';

describe('internal notes', () => {
  let smtp: TestSmtpServer;
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;
  let admin: TestUser;

  before(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Redress <no-reply@redress.example>',
      PUBLIC_URL: 'https://redress.example',
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
    complainant = await createUser(t, 'complainant', { locale: 'en' });
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');
    admin = await createUser(t, 'admin');
  });

  const addNote = (user: TestUser, caseId: string, body: unknown) =>
    t.http
      .post(`/api/v1/cases/${caseId}/notes`)
      .set(user.auth)
      .send(body as object);

  it('seals a NOTE entry into the chain without changing state, deadlines or updatedAt', async () => {
    const filed = await fileCase(t, complainant);
    const before = (await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth)).body;
    t.clock.advance(60_000);
    const res = await addNote(officer, filed.id, { text: `  ${SECRET}  ` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ seq: 2, type: 'NOTE', fromState: 'filed', toState: 'filed' });
    expect(res.body.data).to.deep.equal({ text: SECRET });
    expect(res.body.actor).to.deep.equal({ id: officer.id, role: 'officer' });
    expect(res.body.hash).to.match(/^[0-9a-f]{64}$/);

    const after = (await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth)).body;
    expect(after.version).to.equal(before.version + 1);
    expect(after.state).to.equal(before.state);
    expect(after.deadlines).to.deep.equal(before.deadlines);
    expect(after.updatedAt).to.equal(before.updatedAt);

    const timeline = await t.http.get(`/api/v1/cases/${filed.id}/timeline`).set(officer.auth);
    expect(timeline.body.verified).to.equal(true);
    expect(timeline.body.entries.map((e: { type: string }) => e.type)).to.deep.equal([
      'FILED',
      'NOTE',
    ]);
  });

  it('never shows a note to the complainant: timeline, case, list or email', async () => {
    const filed = await fileCase(t, complainant);
    await addNote(officer, filed.id, { text: SECRET }).expect(201);
    await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    await addNote(admin, filed.id, { text: `${SECRET} (admin)` }).expect(201);
    for (let i = 0; i < 3; i++) await t.server.services.notifications.runOnce();

    const mine = await t.http.get(`/api/v1/cases/${filed.id}/timeline`).set(complainant.auth);
    expect(mine.status).to.equal(200);
    expect(mine.body.verified, 'the whole chain is verified for them too').to.equal(true);
    expect(mine.body.entries.map((e: { type: string }) => e.type)).to.deep.equal([
      'FILED',
      'TRIAGE_ACCEPT',
    ]);
    const seen = JSON.stringify([
      mine.body,
      (await t.http.get(`/api/v1/cases/${filed.id}`).set(complainant.auth)).body,
      (await t.http.get('/api/v1/cases').set(complainant.auth)).body,
    ]);
    expect(seen).not.to.contain('INTERNAL-ONLY');

    const mail = smtp.to(complainant.email);
    expect(mail.length, 'the filing and acceptance emails arrived').to.be.greaterThan(0);
    for (const message of smtp.messages) {
      expect(message.text + message.html + message.subject).not.to.contain('INTERNAL-ONLY');
    }
    // A note asks for no email: nothing was queued for the two NOTE entries.
    const queued = await t.server.database.connection
      .collection('notifications')
      .find({ entrySeq: { $in: [2, 4] } })
      .toArray();
    expect(queued).to.have.length(0);
  });

  it('is read by officers and compliance, and exported in a chain that verifies', async () => {
    const filed = await fileCase(t, complainant);
    await addNote(officer, filed.id, { text: SECRET }).expect(201);
    const mine = await t.http.get(`/api/v1/cases/${filed.id}/timeline`).set(compliance.auth);
    expect(JSON.stringify(mine.body.entries)).to.contain(SECRET);

    const exported = await t.http
      .get('/api/v1/exports/cases?format=ndjson')
      .set(compliance.auth)
      .buffer(true);
    expect(exported.status).to.equal(200);
    expect(exported.text).to.contain(SECRET);
    const report = await verifyExport([Buffer.from(exported.text)]);
    expect(report.failures).to.deep.equal([]);
    expect(report.verified).to.equal(1);
  });

  it('keeps the note out of the dossier sent to the consumer body, verifying the whole chain', async () => {
    const filed = await fileCase(t, complainant);
    await addNote(officer, filed.id, { text: SECRET }).expect(201);
    const dossier = await t.http.get(`/api/v1/cases/${filed.id}/dossier`).set(officer.auth);
    expect(dossier.status, JSON.stringify(dossier.body)).to.equal(200);
    expect(JSON.stringify(dossier.body)).not.to.contain('INTERNAL-ONLY');
    expect(dossier.body.chain).to.include({ verified: true, entries: 2 });
  });

  it('loses no note and no event to concurrent writers, and the chain stays linear', async () => {
    const filed = await fileCase(t, complainant);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => addNote(officer, filed.id, { text: `note ${i}` })),
      t.http
        .post(`/api/v1/cases/${filed.id}/events`)
        .set(officer.auth)
        .send({ type: 'TRIAGE_ACCEPT' }),
    ]);
    const notes = results.slice(0, 10);
    for (const res of notes) expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // The event carries no version check of its own but may lose the claim: then it is a 409
    // and, sent again, goes through.
    const event = results[10]!;
    if (event.status === 409) await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    else expect(event.status, JSON.stringify(event.body)).to.equal(200);

    const timeline = await t.http.get(`/api/v1/cases/${filed.id}/timeline`).set(officer.auth);
    expect(timeline.body.verified).to.equal(true);
    const entries = timeline.body.entries as {
      seq: number;
      type: string;
      data: { text?: string };
    }[];
    expect(entries.map((e) => e.seq)).to.deep.equal(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.type === 'TRIAGE_ACCEPT')).to.have.length(1);
    expect(
      entries
        .filter((e) => e.type === 'NOTE')
        .map((e) => e.data.text)
        .sort(),
    ).to.deep.equal(Array.from({ length: 10 }, (_, i) => `note ${i}`).sort());
    const view = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth);
    expect(view.body.state).to.equal('platformReview.investigating');
    expect(view.body.version).to.equal(entries.length);
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const filed = await fileCase(t, complainant);
    const bodies = [
      {},
      { text: '' },
      { text: '   ' },
      { text: 'x'.repeat(5001) },
      { text: 42 },
      { text: 'ok', extra: true },
    ];
    for (const body of bodies) {
      const res = await addNote(officer, filed.id, body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
    }
    await addNote(officer, filed.id, { text: 'x'.repeat(5000) }).expect(201);
    const unknown = await addNote(officer, '0123456789abcdef01234567', { text: 'hello' });
    expect(unknown.status).to.equal(404);
    const badId = await addNote(officer, 'nope', { text: 'hello' });
    expect(badId.status).to.equal(400);
    const timeline = await t.http.get(`/api/v1/cases/${filed.id}/timeline`).set(officer.auth);
    expect(timeline.body.entries).to.have.length(2);
  });

  it('may not be added by the complainant or compliance (403), nor anonymously (401)', async () => {
    const filed = await fileCase(t, complainant);
    for (const user of [complainant, compliance]) {
      const res = await addNote(user, filed.id, { text: 'mine' });
      expect(res.status).to.equal(403);
      expect(res.type).to.equal('application/problem+json');
    }
    await t.http.post(`/api/v1/cases/${filed.id}/notes`).send({ text: 'x' }).expect(401);
    const timeline = await t.http.get(`/api/v1/cases/${filed.id}/timeline`).set(officer.auth);
    expect(timeline.body.entries).to.have.length(1);
  });
});
