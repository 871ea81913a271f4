import { expect } from 'chai';
import { freePort } from '../../../server/db/child-process.ts';
import { fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser } from '../../helpers/users.ts';
import { exe, png, upload } from '../../helpers/evidence.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

function value(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ METRICS_TOKEN: TOKEN });
  });
  after(() => t.stop());

  it('is served only with the METRICS_TOKEN as a bearer token', async () => {
    await t.http.get('/metrics').expect(401);
    await t.http
      .get('/metrics')
      .set('Authorization', 'Bearer wrong-token-wrong-token-0000')
      .expect(401);
    const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).to.match(/text\/plain/);
    expect(res.text).to.include('redress_process_cpu_seconds_total');
    expect(res.text).to.include('redress_nodejs_eventloop_lag_seconds');
  });

  it('counts filings, transitions by event and result, uploads and the open queues', async () => {
    const complainant = await createUser(t, 'complainant');
    const officer = await createUser(t, 'officer');
    const filed = await fileCase(t, complainant);
    await send(t, officer, filed, { type: 'TRIAGE_ACCEPT', expectedVersion: filed.version });
    await t.http
      .post(`/api/v1/cases/${filed.id}/events`)
      .set(officer.auth)
      .send({ type: 'TRIAGE_ACCEPT', expectedVersion: filed.version })
      .expect((res) => expect([409, 422]).to.include(res.status));
    await upload(t, complainant, filed.id, [
      { name: 'a.png', content: png(7), type: 'image/png' },
    ]).expect(201);
    await upload(t, complainant, filed.id, [
      { name: 'a.exe', content: exe(), type: 'application/octet-stream' },
    ]).expect((res) => expect(res.status).to.be.within(400, 499));

    const { text } = await t.http
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(value(text, 'redress_cases_filed_total')).to.equal(1);
    expect(
      value(text, 'redress_case_transitions_total', 'event="TRIAGE_ACCEPT",result="ok"'),
    ).to.equal(1);
    const refusedOnce =
      (value(text, 'redress_case_transitions_total', 'event="TRIAGE_ACCEPT",result="409"') || 0) +
      (value(text, 'redress_case_transitions_total', 'event="TRIAGE_ACCEPT",result="422"') || 0);
    expect(refusedOnce).to.equal(1);
    expect(value(text, 'redress_evidence_bytes_stored_total')).to.equal(png(7).length);
    expect(text).to.match(/redress_evidence_uploads_refused_total\{reason="[a-z_]+"\} 1/);
    expect(value(text, 'redress_open_cases', 'queue="open"')).to.equal(1);
    expect(text).to.match(
      /redress_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/cases",status="201"\} 1/,
    );
    expect(text).to.include('redress_outbox_emails{status="pending"}');
  });

  it('can be served instead on a loopback-only METRICS_PORT', async () => {
    const port = await freePort();
    const local = await startTestServer({ METRICS_PORT: String(port) });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.include('redress_open_cases');
      await local.http.get('/metrics').expect(404);
    } finally {
      await local.stop();
    }
  });

  it('is not served at all without a token', async () => {
    const bare = await startTestServer();
    try {
      await bare.http.get('/metrics').expect(404);
    } finally {
      await bare.stop();
    }
  });
});
