import { expect } from 'chai';
import { addEvidenceCount, fileCase, send, timelineOf } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const DAY = 86_400_000;

describe('complaint journeys through the API', () => {
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;

  before(async () => {
    // Journeys span months of the test clock; tokens must outlive them.
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
  });
  after(() => t.stop());
  beforeEach(async () => {
    await t.reset();
    t.clock.set('2026-11-02T09:00:00Z'); // a Monday
    complainant = await createUser(t, 'complainant', { locale: 'zh-CN' });
    officer = await createUser(t, 'officer');
  });

  it('files a complaint with a reference, the acknowledge deadline and a sealed first entry', async () => {
    const res = await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .send({
        category: 'refund_not_received',
        jurisdiction: 'CN',
        locale: 'zh-CN',
        respondent: { name: '某某支付', kind: 'platform' },
        transaction: {
          occurredAt: '2026-11-01T10:00:00Z',
          amount: { amountMinor: 129900, currency: 'CNY' },
        },
        narrative: '退款一直没有到账',
        desiredOutcome: '退款',
      });
    expect(res.status).to.equal(201);
    expect(res.body.reference).to.match(/^RD-2026-\d{6}$/);
    expect(res.body).to.include({
      state: 'filed',
      version: 1,
      urgent: false,
      consumerBody: '12315',
    });
    expect(res.body.deadlines).to.have.length(1);
    expect(res.body.deadlines[0]).to.include({ kind: 'acknowledge', status: 'running' });
    // 1 working day in CN, from Monday 09:00; the view names the clock, so no client copies
    // the policy's rule to show it.
    expect(res.body.deadlines[0].dueAt).to.equal('2026-11-03T09:00:00.000Z');
    expect(res.body.deadlines[0].clock).to.deep.equal({ amount: 1, unit: 'workingDays' });
    expect(res.body.allowedEvents).to.deep.equal(['WITHDRAW', 'UPDATE_DETAILS']);
    const timeline = await timelineOf(t, complainant, res.body.id);
    expect(timeline.verified).to.equal(true);
    expect(timeline.entries.map((e) => e.type)).to.deep.equal(['FILED']);
  });

  it('gives urgent categories a 24-hour acknowledgement and flags them', async () => {
    const filed = await fileCase(t, complainant, { category: 'account_compromised' });
    const view = await t.http.get(`/api/v1/cases/${filed.id}`).set(officer.auth).expect(200);
    expect(view.body.urgent).to.equal(true);
    expect(view.body.deadlines[0].dueAt).to.equal('2026-11-03T09:00:00.000Z');
    expect(view.body.deadlines[0].clock).to.deep.equal({ amount: 24, unit: 'hours' });
    const urgent = await t.http.get('/api/v1/cases?urgent=true').set(officer.auth).expect(200);
    expect(urgent.body.items.map((c: { id: string }) => c.id)).to.deep.equal([filed.id]);
  });

  it('resolves in platform review: triage, information request, response accepted', async () => {
    const filed = await fileCase(t, complainant);
    let c = await send(t, officer, filed, { type: 'ASSIGN', officerId: officer.id });
    expect(c.assigneeId).to.equal(officer.id);
    c = await send(t, officer, c, { type: 'TRIAGE_ACCEPT', expectedVersion: c.version });
    expect(c.state).to.equal('platformReview.investigating');
    c = await send(t, officer, c, { type: 'REQUEST_INFO', question: '请提供银行流水' });
    expect(c.state).to.equal('platformReview.awaitingComplainant');
    const paused = (c.deadlines as { kind: string; status: string }[]).find(
      (d) => d.kind === 'finalResponse',
    );
    expect(paused?.status).to.equal('paused');
    t.clock.advance(3 * DAY);
    c = await send(t, complainant, c, { type: 'PROVIDE_INFO', answer: '已上传' });
    expect(c.state).to.equal('platformReview.investigating');
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'upheld',
      remedy: 'full refund',
      message: '我们将退还全部款项',
    });
    expect(c.state).to.equal('responseIssued.awaitingReply');
    c = await send(t, complainant, c, { type: 'ACCEPT_RESPONSE' });
    expect(c.state).to.equal('resolved');
    const timeline = await timelineOf(t, complainant, c.id);
    expect(timeline.verified).to.equal(true);
    expect(timeline.entries.map((e) => e.type)).to.deep.equal([
      'FILED',
      'ASSIGN',
      'TRIAGE_ACCEPT',
      'REQUEST_INFO',
      'PROVIDE_INFO',
      'ISSUE_RESPONSE',
      'ACCEPT_RESPONSE',
    ]);
  });

  it('escalates a CN complaint to 12315 after a rejected response, then settles', async () => {
    const filed = await fileCase(t, complainant);
    await addEvidenceCount(t, filed.id);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'rejected',
      message: '经核实交易为本人操作',
    });
    c = await send(t, complainant, c, { type: 'REJECT_RESPONSE', reason: '不是我操作的' });
    c = await send(t, complainant, c, { type: 'ESCALATE' });
    expect(c.state).to.equal('escalated.preparingSubmission');
    expect(c.consumerBody).to.equal('12315');
    c = await send(t, officer, c, { type: 'RECORD_SUBMISSION', externalReference: '12315-2026-1' });
    expect(c.state).to.equal('escalated.submitted');
    c = await send(t, officer, c, {
      type: 'RECORD_BODY_DECISION',
      decision: 'settled',
      note: '调解成功，平台退款',
    });
    expect(c.state).to.equal('resolved');
    const timeline = await timelineOf(t, officer, c.id);
    expect(timeline.verified).to.equal(true);
    expect(timeline.entries.at(-1)).to.include({
      fromState: 'escalated.submitted',
      toState: 'resolved',
    });
  });

  it('escalates a US complaint to the CFPB, then refers it to legal above the threshold', async () => {
    const filed = await fileCase(t, complainant, {
      jurisdiction: 'US',
      locale: 'en',
      currency: 'USD',
      amountMinor: 750_000,
      respondent: { name: 'PayWallet Inc.', kind: 'platform' },
    });
    await addEvidenceCount(t, filed.id, 2);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'rejected',
      message: 'No error found.',
    });
    c = await send(t, complainant, c, { type: 'REJECT_RESPONSE' });
    c = await send(t, complainant, c, { type: 'ESCALATE' });
    expect(c.consumerBody).to.equal('CFPB');
    c = await send(t, officer, c, {
      type: 'RECORD_SUBMISSION',
      externalReference: 'CFPB-261102-1',
    });
    c = await send(t, officer, c, {
      type: 'RECORD_BODY_DECISION',
      decision: 'unresolved',
      note: 'No agreement.',
    });
    expect(c.state).to.equal('escalated.decided');
    c = await send(t, officer, c, { type: 'REFER_TO_LEGAL' });
    expect(c.state).to.equal('legalReferral');
    c = await send(t, officer, c, {
      type: 'RECORD_LEGAL_OUTCOME',
      outcome: 'judgment_for_complainant',
      note: 'Small claims court ordered a refund.',
    });
    expect(c.state).to.equal('closed');
    expect((await timelineOf(t, officer, c.id)).verified).to.equal(true);
  });

  it('lets a GB complaint escalate to the FOS once the sweeper finds the response deadline missed', async () => {
    const filed = await fileCase(t, complainant, {
      jurisdiction: 'GB',
      locale: 'en',
      currency: 'GBP',
      respondent: { name: 'QuickPay Ltd', kind: 'platform' },
    });
    await addEvidenceCount(t, filed.id);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    const refused = await t.http
      .post(`/api/v1/cases/${c.id}/events`)
      .set(complainant.auth)
      .send({ type: 'ESCALATE' });
    expect(refused.status).to.equal(422);
    expect(refused.body.reason).to.be.a('string').with.length.greaterThan(0);

    // 15 business days from Monday 2 November ends Monday 23 November.
    t.clock.set('2026-11-23T08:59:00Z');
    expect((await t.server.services.cases.sweepDeadlines()).fired).to.equal(0);
    t.clock.set('2026-11-23T09:00:01Z');
    expect((await t.server.services.cases.sweepDeadlines()).fired).to.equal(1);
    const overdue = await t.http.get('/api/v1/cases?overdue=true').set(officer.auth).expect(200);
    expect(overdue.body.items.map((x: { id: string }) => x.id)).to.deep.equal([c.id]);

    c = await send(t, complainant, c, { type: 'ESCALATE' });
    expect(c.state).to.equal('escalated.preparingSubmission');
    expect(c.consumerBody).to.equal('FOS');
    const timeline = await timelineOf(t, officer, c.id);
    expect(timeline.verified).to.equal(true);
    expect(timeline.entries.map((e) => e.type)).to.include('DEADLINE_PASSED');
    expect(timeline.entries.find((e) => e.type === 'DEADLINE_PASSED')).to.deep.include({
      fromState: 'platformReview.investigating',
    });
    // A second sweep finds nothing: the deadline was recorded as missed.
    expect((await t.server.services.cases.sweepDeadlines()).fired).to.equal(0);
  });

  it('lets the complainant withdraw an open case', async () => {
    const filed = await fileCase(t, complainant);
    const c = await send(t, complainant, filed, { type: 'WITHDRAW', reason: '问题已解决' });
    expect(c.state).to.equal('withdrawn');
    expect(c.allowedEvents).to.deep.equal([]);
    expect((c.deadlines as { status: string }[]).every((d) => d.status !== 'running')).to.equal(
      true,
    );
  });

  it('rejects a duplicate at triage with a reason, closing it', async () => {
    const filed = await fileCase(t, complainant);
    const missingReason = await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'TRIAGE_REJECT' });
    expect(missingReason.status).to.equal(400);
    const c = await send(t, officer, filed, {
      type: 'TRIAGE_REJECT',
      reason: 'duplicate of RD-2026-000001',
    });
    expect(c.state).to.equal('closed');
  });

  it('reopens a resolved case within the window, with a reason, and not after it', async () => {
    const filed = await fileCase(t, complainant);
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'upheld', message: 'refund' });
    c = await send(t, complainant, c, { type: 'ACCEPT_RESPONSE' });
    t.clock.advance(10 * DAY);
    c = await send(t, officer, c, { type: 'REOPEN', reason: 'the refund never arrived' });
    expect(c.state).to.equal('platformReview.investigating');
    const running = (c.deadlines as { kind: string; status: string }[]).filter(
      (d) => d.status === 'running',
    );
    expect(running.map((d) => d.kind)).to.deep.equal(['finalResponse']);

    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'upheld',
      message: 'refund sent',
    });
    c = await send(t, complainant, c, { type: 'ACCEPT_RESPONSE' });
    t.clock.advance(200 * DAY);
    const late = await t.http
      .post(`/api/v1/cases/${c.id}/events`)
      .set(officer.auth)
      .send({ type: 'REOPEN', reason: 'again' });
    expect(late.status).to.equal(422);
  });
});
