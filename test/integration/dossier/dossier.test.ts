import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { DossierView } from '../../../server/dossier/schemas.ts';
import { addEvidenceCount, fileCase, send } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

/** pdftotext (poppler-utils) when installed: lets the test read the PDF's text back. */
function pdfText(pdf: Buffer, dir: string): string | null {
  const file = join(dir, 'dossier.pdf');
  writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

// supertest's parser hook: collect the raw bytes instead of decoding text.
function binary(res: unknown, callback: (error: Error | null, body: Buffer) => void) {
  const stream = res as IncomingMessage;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('escalation dossiers', () => {
  let t: TestServer;
  let complainant: TestUser;
  let officer: TestUser;
  let compliance: TestUser;
  let cnCase: { id: string; reference: string };
  let usCase: { id: string; reference: string };

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
    complainant = await createUser(t, 'complainant', { locale: 'zh-CN', name: '张三' });
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');

    // 12315 takes the company's credit code instead of its address.
    const filed = await fileCase(t, complainant, {
      respondent: { name: '某某支付', kind: 'platform', registrationNumber: '91350100M000100Y43' },
    });
    await addEvidenceCount(t, filed.id);
    // Evidence comes from the evidence module (its own tests); seeded here in its stored shape.
    await t.server.database.connection.db!.collection('cases').updateOne(
      { _id: new Types.ObjectId(filed.id) },
      {
        $set: {
          evidence: [
            {
              id: 'ev1',
              kind: 'bank_statement',
              description: '银行流水，显示 11 月 1 日扣款 1299 元',
              sha256: 'b'.repeat(64),
              size: 48_213,
              mediaType: 'application/pdf',
              originalName: '流水.pdf',
              storageKey: 'bb/bbbb',
              backend: 'fs',
              uploadedBy: { id: complainant.id, role: 'complainant' },
              uploadedAt: new Date('2026-11-02T09:30:00Z'),
              flagged: false,
            },
          ],
        },
      },
    );
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, {
      type: 'ISSUE_RESPONSE',
      outcome: 'rejected',
      message: '经核实，该笔交易为本人设备发起，平台不予退款。',
    });
    c = await send(t, complainant, c, { type: 'REJECT_RESPONSE', reason: '不是我操作的' });
    c = await send(t, complainant, c, { type: 'ESCALATE' });
    cnCase = c;

    usCase = await fileCase(t, complainant, {
      jurisdiction: 'US',
      locale: 'en',
      currency: 'USD',
      amountMinor: 4_999,
      respondent: { name: 'Example Pay Inc.', kind: 'platform' },
      narrative: 'I was charged twice for one order.',
      desiredOutcome: 'Refund the second charge.',
    });
  });
  after(() => t.stop());

  it('gives a CN case the 12315 form in Chinese, the final response, timeline and evidence hashes', async () => {
    const res = await t.http
      .get(`/api/v1/cases/${cnCase.id}/dossier`)
      .set(officer.auth)
      .expect(200);
    const dossier = res.body;
    // The OpenAPI schema describes exactly what is sent: nothing missing, nothing extra.
    expect(DossierView.parse(dossier)).to.deep.equal(dossier);
    expect(dossier.form).to.equal('12315');
    expect(dossier.locale).to.equal('zh-CN');
    expect(dossier.consumerBody).to.deep.equal({
      code: '12315',
      name: '全国12315平台（国家市场监督管理总局）',
    });
    expect(dossier.sections.map((s: { label: string }) => s.label)).to.deep.equal([
      '投诉人信息',
      '被投诉人名称与地址',
      '购买/交易时间、金额',
      '事实经过',
      '诉求',
      '证据',
      '受理机构处理时限',
      '平台处理时效',
    ]);
    expect(dossier.complainant).to.include({
      name: '张三',
      email: complainant.email,
      phone: '+8613812345678',
      postalAddress: '中国上海市浦东新区世纪大道 88 号（邮编 200120）',
    });
    expect(dossier.respondent).to.deep.equal({
      name: '某某支付',
      kind: 'platform',
      kindLabel: '支付平台或电子钱包',
      address: null,
      registrationNumber: '91350100M000100Y43',
    });
    expect(dossier.transaction.amountText).to.equal('¥1,299.00');
    const transaction = dossier.sections.find((s: { key: string }) => s.key === 'transaction');
    expect(transaction.lines).to.deep.equal([
      '交易时间：2026年11月1日 18:00（UTC+8）',
      '金额：¥1,299.00',
      '交易单号：TX123',
    ]);
    expect(dossier.platformResponse).to.include({
      outcome: 'rejected',
      outcomeLabel: '投诉不成立',
      message: '经核实，该笔交易为本人设备发起，平台不予退款。',
    });
    expect(dossier.complainantReply).to.include({
      type: 'REJECT_RESPONSE',
      reason: '不是我操作的',
    });
    expect(dossier.evidence).to.have.length(1);
    expect(dossier.evidence[0]).to.include({ sha256: 'b'.repeat(64), originalName: '流水.pdf' });
    expect(dossier.evidence[0]).not.to.have.property('storageKey');
    expect(dossier.timeline.map((e: { type: string }) => e.type)).to.deep.equal([
      'FILED',
      'TRIAGE_ACCEPT',
      'ISSUE_RESPONSE',
      'REJECT_RESPONSE',
      'ESCALATE',
    ]);
    expect(dossier.chain).to.include({ verified: true, entries: 5 });
    // The credit code stands in for the address (the case escalated: it had all 12315 needs),
    // so the address box is not left asking for one.
    expect(dossier.missing).to.deep.equal([]);
    const company = dossier.sections.find((s: { key: string }) => s.key === 'respondent');
    expect(company.lines).to.deep.equal([
      '名称：某某支付',
      '类型：支付平台或电子钱包',
      '登记号码（统一社会信用代码）：91350100M000100Y43',
    ]);
  });

  it('gives a US case the CFPB-style form in English', async () => {
    const res = await t.http
      .get(`/api/v1/cases/${usCase.id}/dossier`)
      .set(compliance.auth)
      .expect(200);
    const dossier = res.body;
    expect(DossierView.parse(dossier)).to.deep.equal(dossier);
    expect(dossier.form).to.equal('CFPB');
    expect(dossier.sections.map((s: { label: string }) => s.label)).to.deep.equal([
      'Consumer',
      'Company',
      'Product and issue',
      'Transaction date and amount',
      'What happened',
      'Desired resolution',
      'Dates',
      'Attachments',
      "The body's deadlines",
      "The platform's timeliness",
    ]);
    expect(dossier.transaction.amountText).to.equal('$49.99');
    expect(dossier.platformResponse).to.equal(null);
    expect(dossier.missing).to.deep.equal([
      {
        fact: 'evidence',
        label: 'at least one piece of evidence',
        note: 'At least one piece of evidence',
      },
    ]);
  });

  it('prints a PDF with the Chinese text in an embedded CJK font', async function () {
    this.timeout(20_000);
    const res = await t.http
      .get(`/api/v1/cases/${cnCase.id}/dossier?format=pdf`)
      .set(compliance.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="${cnCase.reference}-dossier.pdf"`,
    );
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(pdf.includes(Buffer.from('NotoSansCJKsc'))).to.equal(true);
    const text = pdfText(pdf, t.tempDir);
    if (text !== null) {
      for (const phrase of [
        '消费者投诉材料',
        '投诉人信息',
        '被投诉人名称与地址',
        '事实经过',
        '平台最终答复',
        cnCase.reference,
      ]) {
        expect(text, phrase).to.contain(phrase);
      }
    }
  });

  it('is for officers and compliance: a complainant gets 403, even for their own case', async () => {
    const res = await t.http.get(`/api/v1/cases/${cnCase.id}/dossier`).set(complainant.auth);
    expect(res.status).to.equal(403);
    expect(res.type).to.equal('application/problem+json');
  });

  it('answers an unknown case with 404, a malformed id or format with 400', async () => {
    const missing = await t.http
      .get(`/api/v1/cases/${new Types.ObjectId().toHexString()}/dossier`)
      .set(officer.auth);
    expect(missing.status).to.equal(404);
    const badId = await t.http.get('/api/v1/cases/not-an-id/dossier').set(officer.auth);
    expect(badId.status).to.equal(400);
    const badFormat = await t.http
      .get(`/api/v1/cases/${cnCase.id}/dossier?format=docx`)
      .set(officer.auth);
    expect(badFormat.status).to.equal(400);
    expect(badFormat.body.errors[0].path).to.equal('query.format');
  });

  it('says plainly when the CJK font is not installed, and still serves the JSON', async function () {
    this.timeout(20_000);
    const noFont = await startTestServer({ DOSSIER_CJK_FONT: join(t.tempDir, 'no-such-font.ttc') });
    try {
      const user = await createUser(noFont, 'complainant', { locale: 'zh-CN' });
      const staff = await createUser(noFont, 'officer');
      const filed = await fileCase(noFont, user);
      const pdf = await noFont.http
        .get(`/api/v1/cases/${filed.id}/dossier?format=pdf`)
        .set(staff.auth);
      expect(pdf.status).to.equal(503);
      expect(pdf.type).to.equal('application/problem+json');
      expect(pdf.body.detail).to.contain('needs a CJK font');
      expect(pdf.body.detail).to.contain('apt-get install fonts-noto-cjk');
      await noFont.http.get(`/api/v1/cases/${filed.id}/dossier`).set(staff.auth).expect(200);
    } finally {
      await noFont.stop();
    }
  });
});
