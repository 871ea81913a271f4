import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { expect } from 'chai';
import { EVENT_TYPES, CATEGORIES } from '../../../workflows/index.ts';
import { STATE_LABELS } from '../../../workflows/labels.ts';
import { Types } from 'mongoose';
import { addEvidenceCount, fileCase, send, type CaseRef } from '../../helpers/cases.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { createUser, type TestUser } from '../../helpers/users.ts';

// Each body's dossier PDF, printed and read back the way its reader gets it: pdftotext for the
// words, pdffonts for the fonts, pdftoppm to render every page. poppler-utils and
// fonts-noto-cjk are installed by .ci/run.

const FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

function binary(res: unknown, callback: (error: Error | null, body: Buffer) => void) {
  const stream = res as IncomingMessage;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** The code points a face can draw, from fontconfig's charset ranges (`20-7e a0-17f ...`). */
function charsetOf(file: string, postscriptName: string): (codePoint: number) => boolean {
  const faces = execFileSync('fc-query', ['--format', '%{postscriptname}\t%{charset}\n', file], {
    encoding: 'utf8',
  });
  const line = faces.split('\n').find((row) => row.startsWith(`${postscriptName}\t`));
  if (!line) throw new Error(`no face ${postscriptName} in ${file}`);
  const ranges = line
    .split('\t')[1]!
    .trim()
    .split(/\s+/)
    .map((range) => range.split('-').map((hex) => parseInt(hex, 16)))
    .map(([from, to]) => [from!, to ?? from!] as const);
  return (codePoint) => ranges.some(([from, to]) => codePoint >= from && codePoint <= to);
}

interface Printed {
  text: string;
  fonts: { name: string; embedded: boolean }[];
  pages: number;
  renderErrors: string;
}

/** Writes the PDF, reads its text and fonts back and renders every page to PNG. */
function look(pdf: Buffer, dir: string, name: string): Printed {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  // name type encoding emb sub uni object ID: the row ends with five fixed columns.
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((row) => row.trim())
    .map((row) => {
      const cells = row.trim().split(/\s+/);
      return { name: cells[0]!, embedded: cells.at(-5) === 'yes' };
    });
  let renderErrors = '';
  try {
    execFileSync('pdftoppm', ['-r', '40', '-png', file, join(dir, name)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    renderErrors = String((error as { stderr?: Buffer }).stderr ?? error);
  }
  const pages = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
  return { text, fonts, pages: pages.length, renderErrors };
}

// Codes a reader must never see: dotted or camelCase states, snake_case categories, SCREAMING
// event types, and an arrow with a code on either side.
const CAMEL_STATES = Object.keys(STATE_LABELS).flatMap((path) => path.split('.'));
const CODE_ARROW =
  /(?:[a-z]+[A-Z.][A-Za-z.]*|[A-Za-z]+_[A-Za-z_]+)\s*(?:→|->)|(?:→|->)\s*(?:[a-z]+[A-Z.][A-Za-z]*|[A-Za-z]+_[A-Za-z_]+)/;

function expectNoCodes(printed: Printed) {
  const { text } = printed;
  expect(text).not.to.contain('escalated.');
  expect(text).not.to.contain('platformReview');
  expect(text).not.to.match(/[A-Za-z]+_[A-Za-z]+/, 'a snake_case or SCREAMING_CASE code');
  expect(text).not.to.match(CODE_ARROW);
  for (const state of CAMEL_STATES.filter((s) => /[A-Z]/.test(s)))
    expect(text).not.to.contain(state);
  for (const type of EVENT_TYPES) expect(text).not.to.contain(type);
  for (const category of CATEGORIES) expect(text).not.to.contain(category);
}

function expectAllGlyphs(printed: Printed) {
  expect(printed.renderErrors, 'pdftoppm').to.equal('');
  expect(printed.pages).to.be.greaterThan(0);
  expect(printed.fonts.length).to.be.greaterThan(0);
  for (const font of printed.fonts) {
    expect(font.embedded, `${font.name} embedded`).to.equal(true);
    // Subset names are ABCDEF+NotoSansCJKsc-Regular: no built-in fallback font was used.
    expect(font.name, 'font').to.match(/\+NotoSans(Mono)?CJKsc-(Regular|Bold)$/);
  }
  const canDraw = charsetOf(FONT, 'NotoSansCJKsc-Regular');
  const missing = [...new Set(printed.text)].filter(
    (char) => !/\s/.test(char) && !canDraw(char.codePointAt(0)!),
  );
  expect(missing, 'characters the font has no glyph for').to.deep.equal([]);
}

describe('printed dossiers, read back per consumer body', function () {
  this.timeout(60_000);
  let t: TestServer;
  let officer: TestUser;
  let compliance: TestUser;

  /** The JSON dossier's display fields, which must read as the PDF does: no codes either. */
  async function displayText(ref: CaseRef): Promise<string> {
    const { body } = await t.http
      .get(`/api/v1/cases/${ref.id}/dossier`)
      .set(officer.auth)
      .expect(200);
    const labelled = (object: Record<string, unknown>) =>
      Object.entries(object)
        .filter(([key]) => key.endsWith('Label') || key.endsWith('Text'))
        .map(([, value]) => String(value));
    return [
      ...labelled(body),
      ...labelled(body.case),
      ...labelled(body.respondent),
      ...labelled(body.transaction),
      ...labelled(body.platformResponse ?? {}),
      ...labelled(body.complainantReply ?? {}),
      body.consumerBody?.name ?? '',
      ...body.sections.flatMap((s: { label: string; lines: string[] }) => [s.label, ...s.lines]),
      ...body.printedTimeline.flatMap((e: { details: string[] }) => Object.values(e).flat()),
      ...body.missing.map((m: { note: string }) => m.note),
    ].join('\n');
  }

  async function printed(ref: CaseRef, name: string): Promise<Printed> {
    const res = await t.http
      .get(`/api/v1/cases/${ref.id}/dossier?format=pdf`)
      .set(compliance.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    return look(res.body as Buffer, join(t.tempDir, 'printed'), name);
  }

  /**
   * One statement as evidence (the evidence module's own tests upload; seeded here in its stored
   * shape), then answered with a rejection, rejected by the complainant and escalated.
   */
  async function escalated(complainant: TestUser, filed: CaseRef, message: string, zh = false) {
    await addEvidenceCount(t, filed.id);
    await t.server.database.connection.db!.collection('cases').updateOne(
      { _id: new Types.ObjectId(filed.id) },
      {
        $set: {
          evidence: [
            {
              id: 'ev1',
              kind: 'bank_statement',
              description: zh ? '银行流水' : 'Statement',
              sha256: 'c'.repeat(64),
              size: 48_213,
              mediaType: 'application/pdf',
              originalName: zh ? '流水.pdf' : 'statement.pdf',
              storageKey: 'cc/cccc',
              backend: 'fs',
              uploadedBy: { id: complainant.id, role: 'complainant' },
              uploadedAt: new Date('2026-11-01T09:30:00Z'),
              flagged: false,
            },
          ],
        },
      },
    );
    let c = await send(t, officer, filed, { type: 'TRIAGE_ACCEPT' });
    c = await send(t, officer, c, { type: 'ISSUE_RESPONSE', outcome: 'rejected', message });
    c = await send(t, complainant, c, { type: 'REJECT_RESPONSE', reason: 'No.' });
    return send(t, complainant, c, { type: 'ESCALATE' });
  }

  before(async () => {
    t = await startTestServer({ TOKEN_TTL_HOURS: '8760' });
    officer = await createUser(t, 'officer');
    compliance = await createUser(t, 'compliance');
  });
  after(() => t.stop());

  it('12315: wholly in Chinese, with the 7 and 45 working day clocks as dates', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'zh-CN', name: '李四' });
    const filed = await fileCase(t, complainant, { category: 'incorrect_charge' });
    // The test clock stands at Monday 2 November 2026, 17:00 in Beijing.
    const c = await escalated(complainant, filed, '经核实，扣款无误。', true);
    const pdf = await printed(c, 'cn-12315');
    expectNoCodes(pdf);
    expectNoCodes({ ...pdf, text: await displayText(c) });
    expectAllGlyphs(pdf);
    for (const phrase of [
      '消费者投诉材料（全国12315平台）',
      '投诉类别：扣款金额错误',
      '管辖地区：中国',
      '当前状态：已申请外部处理：正在准备提交材料',
      '金额：¥1,299.00',
      '受理决定期限：7个工作日，自2026年11月2日起，至2026年11月11日止（进行中）',
      '第十四条',
      // Mediation starts on acceptance: at the latest on the 11th, so it ends by 13 January.
      '调解期限：45个工作日，自受理之日起算；如于2026年11月11日起算，至迟于2027年1月13日届满',
      '第二十一条',
      '平台是否按时答复：是',
      '平台已作出最终答复',
      '投诉人不接受答复',
      '调查中',
      '（UTC+8）',
    ]) {
      expect(pdf.text.replace(/\s+/g, ''), phrase).to.contain(phrase.replace(/\s+/g, ''));
    }
  });

  it('CFPB: in English with US dates and dollars, the 15 and 60 day clocks as dates', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'en', name: 'Ann Lee' });
    const filed = await fileCase(t, complainant, {
      jurisdiction: 'US',
      locale: 'en',
      currency: 'USD',
      amountMinor: 129_950,
      category: 'refund_not_received',
      respondent: { name: 'Example Pay Inc.', kind: 'platform' },
      narrative: 'The refund never arrived.',
      desiredOutcome: 'Pay the refund.',
    });
    const c = await escalated(complainant, filed, 'We found no refund due.');
    const pdf = await printed(c, 'us-cfpb');
    expectNoCodes(pdf);
    expectNoCodes({ ...pdf, text: await displayText(c) });
    expectAllGlyphs(pdf);
    const flat = pdf.text.replace(/\s+/g, ' ');
    for (const phrase of [
      'Complaint dossier for the Consumer Financial Protection Bureau (CFPB)',
      'Issue: Refund not received',
      'Jurisdiction: United States',
      'Current state: Escalated: preparing the submission',
      'Amount: $1,299.50',
      // Escalated on Monday 2 November 2026 at 04:00 in Washington (UTC-5).
      "The company's response: 15 calendar days from November 2, 2026, due November 17, 2026 (Running)",
      "The company's final response: 60 calendar days from November 2, 2026, due January 1, 2027 (Running)",
      'Timely response: Yes',
      '(UTC-5)',
    ]) {
      expect(flat, phrase).to.contain(phrase);
    }
  });

  it('FOS: in British English and pounds, six months from the final response', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'en', name: 'Sam Hill' });
    const filed = await fileCase(t, complainant, {
      jurisdiction: 'GB',
      locale: 'en',
      currency: 'GBP',
      amountMinor: 4_200,
      respondent: { name: 'Example Pay Ltd', kind: 'platform', address: '1 High Street, London' },
      narrative: 'A payment I did not make.',
      desiredOutcome: 'Refund it.',
    });
    const c = await escalated(complainant, filed, 'The payment was authorised.');
    const pdf = await printed(c, 'gb-fos');
    expectNoCodes(pdf);
    expectAllGlyphs(pdf);
    const flat = pdf.text.replace(/\s+/g, ' ');
    for (const phrase of [
      'Complaint dossier for the Financial Ombudsman Service',
      'Jurisdiction: United Kingdom',
      'Amount: £42.00',
      // The final response went out on 2 November 2026: the complaint may go to FOS until 2 May.
      'Time to refer the complaint: 6 months from 2 November 2026, due 2 May 2027 (Met)',
      'DISP 2.8.2R',
      'Timely response: Yes',
    ]) {
      expect(flat, phrase).to.contain(phrase);
    }
  });

  it('an EU ADR body: in English with the country named, three weeks and 90 days', async () => {
    const complainant = await createUser(t, 'complainant', { locale: 'en', name: 'Eva Berg' });
    const filed = await fileCase(t, complainant, {
      jurisdiction: 'DE',
      locale: 'en',
      currency: 'EUR',
      amountMinor: 123_456,
      respondent: {
        name: 'Beispiel Zahlungen GmbH',
        kind: 'merchant',
        address: 'Hauptstr. 1, Berlin',
      },
      narrative: 'I was charged twice.',
      desiredOutcome: 'Refund the second charge.',
    });
    const c = await escalated(complainant, filed, 'Both charges were correct.');
    const pdf = await printed(c, 'de-adr');
    expectNoCodes(pdf);
    expectAllGlyphs(pdf);
    const flat = pdf.text.replace(/\s+/g, ' ');
    for (const phrase of [
      'Consumer dispute resolution (ADR) body in Germany',
      'Jurisdiction: Germany',
      'Amount: €1,234.56',
      'Notice if the body will not deal with it: 21 calendar days from 2 November 2026, due 23 November 2026 (Running)',
      'Outcome of the procedure: 90 calendar days from acceptance; if it starts on 23 November 2026, it ends by 21 February 2027 (Not started)',
      'Directive 2013/11/EU art. 8(e)',
      '(UTC+1)',
    ]) {
      expect(flat, phrase).to.contain(phrase);
    }
  });
});
