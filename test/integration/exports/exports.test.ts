import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { verifyChain } from '../../../server/cases/timeline.ts';
import type { ExportedCase } from '../../../server/exports/document.ts';
import { addEvidenceCount, fileCase, send } from '../../helpers/cases.ts';
import { testDatabaseUri } from '../../helpers/database.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

const run = promisify(execFile);

function ndjson(text: string): ExportedCase[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ExportedCase);
}

/** Runs one of our CLIs against the test server's database; resolves with its exit code. */
async function cli(t: TestServer, script: string, args: string[]) {
  const uri = testDatabaseUri(t.server.database.connection.name);
  return run(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
    env: { ...process.env, MONGODB_URI: uri, LOG_LEVEL: 'silent' },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('compliance exports of case histories', () => {
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;
  let cnCase: { id: string; reference: string };
  let usCase: { id: string; reference: string };

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
    complainant = await createUser(t, 'complainant', { locale: 'zh-CN' });
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');

    t.clock.set('2026-01-10T09:00:00Z');
    const filed = await fileCase(t, complainant, { occurredAt: '2026-01-09T10:00:00Z' });
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'upheld',
      message: '我们将退还全部款项',
    });
    cnCase = c;

    t.clock.set('2026-02-20T09:00:00Z');
    usCase = await fileCase(t, complainant, {
      jurisdiction: 'US',
      locale: 'en',
      category: 'incorrect_charge',
      currency: 'USD',
      occurredAt: '2026-02-19T10:00:00Z',
      respondent: { name: '@Example Pay', kind: 'merchant' },
      narrative: '=HYPERLINK("http://evil.example","click me")',
    });

    // Evidence and deliveries come from modules with their own tests; here they are seeded
    // straight into the database in the shapes those modules write.
    const db = t.server.database.connection.db!;
    await addEvidenceCount(t, cnCase.id);
    await db.collection('cases').updateOne(
      { _id: new Types.ObjectId(cnCase.id) },
      {
        $set: {
          evidence: [
            {
              id: 'ev1',
              kind: 'screenshot',
              description: '扣款短信截图',
              sha256: 'a'.repeat(64),
              size: 2048,
              mediaType: 'image/png',
              originalName: 'sms.png',
              storageKey: 'aa/aaaa',
              backend: 'fs',
              uploadedBy: { id: complainant.id, role: 'complainant' },
              uploadedAt: new Date('2026-01-10T10:00:00Z'),
              flagged: false,
            },
          ],
        },
      },
    );
    await db.collection('notifications').insertMany([
      {
        _id: `${cnCase.id}:1:filed` as never,
        caseId: new Types.ObjectId(cnCase.id),
        caseVersion: 1,
        entrySeq: 1,
        template: 'filed',
        recipientId: complainant.id,
        status: 'sent',
        attempts: 1,
        nextAttemptAt: null,
        lastError: null,
        messageId: '<x@redress>',
        sentAt: new Date('2026-01-10T09:00:05Z'),
        smtpResponse: '250 OK',
        createdAt: new Date('2026-01-10T09:00:00Z'),
      },
    ]);
  });
  after(() => t.stop());

  const exportCases = (query: string, user: TestUser = compliance) =>
    t.http.get(`/api/v1/exports/cases${query}`).set(user.auth).buffer(true);

  it('is for compliance only: officers and complainants get 403', async () => {
    for (const user of [officer, complainant]) {
      const res = await exportCases('', user);
      expect(res.status).to.equal(403);
      expect(res.type).to.equal('application/problem+json');
    }
    await t.http.get('/api/v1/exports').set(officer.auth).expect(403);
    await t.http.get('/api/v1/exports/cases').expect(401);
  });

  it('answers filters that do not parse with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?filedFrom=last-week', 'query.filedFrom'],
      ['?filedTo=2026-02-30', 'query.filedTo'],
      ['?format=xlsx', 'query.format'],
      ['?category=cats', 'query.category'],
      ['?jurisdiction=china', 'query.jurisdiction'],
      ['?consumerBody=%24where', 'query.consumerBody'],
      ['?sort=reference', 'query'],
    ];
    for (const [query, path] of cases) {
      const res = await exportCases(query);
      expect(res.status, query).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path).join(' '), query).to.contain(
        path,
      );
    }
  });

  it('answers a filedTo before filedFrom with a 400', async () => {
    const res = await exportCases('?filedFrom=2026-03-01&filedTo=2026-02-01');
    expect(res.status).to.equal(400);
    expect(res.body.errors).to.deep.equal([
      { path: 'query.filedTo', message: 'filedTo is before filedFrom' },
    ]);
  });

  it('streams NDJSON: each case with its hash chain, evidence manifest and deliveries', async () => {
    const res = await exportCases('?format=ndjson');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).to.match(
      /attachment; filename="redress-cases-.*\.ndjson"/,
    );
    const body = res.text;
    const cases = ndjson(body);
    expect(cases.map((c) => c.reference).sort()).to.deep.equal(
      [cnCase.reference, usCase.reference].sort(),
    );
    const cn = cases.find((c) => c.id === cnCase.id)!;
    expect(verifyChain(cn.timeline).verified).to.equal(true);
    expect(cn.timeline.map((e) => e.type)).to.deep.equal([
      'FILED',
      'TRIAGE_ACCEPT',
      'ISSUE_RESPONSE',
    ]);
    expect(cn.lastHash).to.equal(cn.timeline.at(-1)!.hash);
    expect(cn.evidence).to.deep.equal([
      {
        id: 'ev1',
        kind: 'screenshot',
        description: '扣款短信截图',
        originalName: 'sms.png',
        mediaType: 'image/png',
        size: 2048,
        sha256: 'a'.repeat(64),
        uploadedBy: { id: complainant.id, role: 'complainant' },
        uploadedAt: '2026-01-10T10:00:00.000Z',
        flagged: false,
      },
    ]);
    expect(cn.notifications).to.have.length(1);
    expect(cn.notifications[0]).to.include({
      template: 'filed',
      status: 'sent',
      messageId: '<x@redress>',
    });
    const us = cases.find((c) => c.id === usCase.id)!;
    expect(us.evidence).to.deep.equal([]);
    expect(us.notifications).to.deep.equal([]);

    // The export is on record with the digest of exactly the bytes sent.
    const exportId = res.headers['x-export-id'];
    const list = await t.http.get('/api/v1/exports').set(compliance.auth).expect(200);
    const record = list.body.items.find((item: { id: string }) => item.id === exportId);
    expect(record).to.include({
      status: 'completed',
      format: 'ndjson',
      via: 'api',
      cases: 2,
      bytes: Buffer.byteLength(body),
      sha256: createHash('sha256').update(body).digest('hex'),
      error: null,
    });
    expect(record.by).to.deep.equal({
      id: compliance.id,
      role: 'compliance',
      email: compliance.email,
    });
  });

  it('selects by filing date, state, category, jurisdiction and consumer body', async () => {
    const references = async (query: string) => {
      const res = await exportCases(query);
      expect(res.status, query).to.equal(200);
      return ndjson(res.text).map((c) => c.reference);
    };
    expect(await references('?filedFrom=2026-01-01&filedTo=2026-01-31')).to.deep.equal([
      cnCase.reference,
    ]);
    expect(await references('?filedFrom=2026-02-20&filedTo=2026-02-20')).to.deep.equal([
      usCase.reference,
    ]);
    expect(await references('?state=responseIssued')).to.deep.equal([cnCase.reference]);
    expect(await references('?category=incorrect_charge')).to.deep.equal([usCase.reference]);
    expect(await references('?jurisdiction=CN')).to.deep.equal([cnCase.reference]);
    expect(await references('?consumerBody=FTC')).to.deep.equal([usCase.reference]);
    expect(await references('?filedFrom=2027-01-01')).to.deep.equal([]);
    const list = await t.http.get('/api/v1/exports?limit=1').set(compliance.auth).expect(200);
    expect(list.body.items[0].filters).to.deep.equal({ filedFrom: '2027-01-01' });
    expect(list.body.nextCursor).to.be.a('string');
  });

  it('writes CSV rows per timeline entry, with formula cells neutralised', async () => {
    const res = await exportCases('?format=csv');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const rows = parse(res.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).to.have.length(4);
    const cnRows = rows.filter((r) => r.case_id === cnCase.id);
    expect(cnRows.map((r) => r.entry_seq)).to.deep.equal(['1', '2', '3']);
    expect(new Set(cnRows.map((r) => r.narrative)).size).to.equal(1);
    const usRow = rows.find((r) => r.case_id === usCase.id)!;
    expect(usRow.narrative).to.equal(`'=HYPERLINK("http://evil.example","click me")`);
    expect(usRow.respondent_name).to.equal(`'@Example Pay`);
  });

  it('verifies offline, and names the case when one byte of a timeline entry changes', async function () {
    this.timeout(30_000);
    const res = await exportCases('?format=ndjson');
    const file = join(t.tempDir, 'cases.ndjson');
    writeFileSync(file, res.text);
    const ok = await cli(t, 'verify-export', [file]);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain('2 cases, 2 verified, 0 failed');

    const lines = res.text.split('\n');
    const index = lines.findIndex((line) => line.includes(cnCase.reference));
    // One byte: the upheld outcome in the ISSUE_RESPONSE entry becomes "upheId".
    lines[index] = lines[index]!.replace('"outcome":"upheld"', '"outcome":"upheId"');
    const tampered = join(t.tempDir, 'tampered.ndjson');
    writeFileSync(tampered, lines.join('\n'));
    expect(readFileSync(tampered).length).to.equal(Buffer.byteLength(res.text));
    const bad = await cli(t, 'verify-export', [tampered]);
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.contain('1 failed');
    expect(bad.stdout).to.match(
      new RegExp(
        `✗ ${cnCase.reference} \\(line ${index + 1}, id ${cnCase.id}\\): entry seq 3 \\(ISSUE_RESPONSE\\)`,
      ),
    );
    expect(bad.stdout).not.to.contain(usCase.reference);

    const missing = await cli(t, 'verify-export', [join(t.tempDir, 'nope.ndjson')]);
    expect(missing.code).to.equal(2);
  });

  it('exports from the command line with the same code, recording the export', async function () {
    this.timeout(30_000);
    const out = join(t.tempDir, 'cli.ndjson');
    const done = await cli(t, 'export', [
      '--from',
      '2026-01-01',
      '--to',
      '2026-12-31',
      '--format',
      'ndjson',
      '--out',
      out,
    ]);
    expect(done.code, done.stderr).to.equal(0);
    expect(done.stdout).to.match(/export: 2 cases \(ndjson\)/);
    const text = readFileSync(out, 'utf8');
    expect(
      ndjson(text)
        .map((c) => c.id)
        .sort(),
    ).to.deep.equal([cnCase.id, usCase.id].sort());
    const sha = createHash('sha256').update(text).digest('hex');
    expect(done.stdout).to.contain(sha);
    const list = await t.http.get('/api/v1/exports').set(compliance.auth).expect(200);
    expect(list.body.items[0]).to.include({
      via: 'cli',
      status: 'completed',
      sha256: sha,
      cases: 2,
    });

    const refused = await cli(t, 'export', ['--from', '2026-03-01', '--to', '2026-01-01']);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.contain('--to: filedTo is before filedFrom');
  });

  // Last in the file: it adds many cases, and the database is dropped after the file.
  it('records an export whose client went away as aborted, and keeps serving', async function () {
    this.timeout(30_000);
    // Enough bytes that the stream cannot finish (into socket buffers) before the client hangs up.
    const db = t.server.database.connection.db!;
    const template = await db.collection('cases').findOne({ _id: new Types.ObjectId(cnCase.id) });
    const copies = Array.from({ length: 800 }, (_, i) => ({
      ...template,
      _id: new Types.ObjectId(),
      reference: `RD-2001-${String(i + 1).padStart(6, '0')}`,
      narrative: 'x'.repeat(9_000),
    }));
    await db.collection('cases').insertMany(copies);
    const exportId = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${t.server.url}/api/v1/exports/cases`,
        { headers: compliance.auth },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve(String(res.headers['x-export-id']));
          });
        },
      );
      req.on('error', (error) => {
        if ((error as { code?: string }).code !== 'ECONNRESET') reject(error);
      });
      req.end();
    });
    let record: { status: string; cases: number; error: string | null } | undefined;
    for (let attempt = 0; attempt < 100; attempt++) {
      const list = await t.http.get('/api/v1/exports').set(compliance.auth).expect(200);
      record = list.body.items.find((item: { id: string }) => item.id === exportId);
      if (record?.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(record).to.include({
      status: 'aborted',
      error: 'the receiver closed the stream before the end',
    });
    expect(record!.cases).to.be.lessThan(802);
    await t.http.get('/readyz').expect(200);
  });
});
