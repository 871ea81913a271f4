import { access, readFile } from 'node:fs/promises';
import { ServiceUnavailableError } from '../errors.ts';
import { EVENT_LABELS, ROLE_LABELS, UI, field, labelOf, say, type Locale } from './labels.ts';
import { formatInstant, type Dossier } from './service.ts';

/** Where the CJK font is and which face of the collection to use (a .ttc holds several). */
export interface DossierFontConfig {
  path: string;
  /** PostScript name of the face, e.g. NotoSansCJKsc-Regular for simplified Chinese. */
  family: string;
}

interface LoadedFonts {
  regular: { src: Buffer; family: string };
  bold: { src: Buffer; family: string } | null;
  mono: { src: Buffer; family: string } | null;
}

const INSTALL_HINT =
  'Install it with `apt-get install fonts-noto-cjk` (Debian/Ubuntu) or point DOSSIER_CJK_FONT (and DOSSIER_CJK_FONT_FAMILY) at a font with Chinese glyphs.';

// WinAnsi (what PDF's built-in Helvetica can print): Latin-1 plus the typographic extras.
const WIN_ANSI = /^[\x20-\x7e\xa0-\xff\n\r\t€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/;

/** True when the built-in fonts cannot print the dossier: Chinese, or any other non-Latin text. */
export function needsCjkFont(dossier: Dossier): boolean {
  // JSON.stringify leaves only printable ASCII escapes and the text's own characters.
  return dossier.locale === 'zh-CN' || !WIN_ANSI.test(JSON.stringify(dossier));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Reads the CJK font for one document. Read per document, not cached: a collection is ~20 MB
 * and dossiers are rare, so holding it in memory for the life of the server costs more than
 * reading it from the page cache now and then.
 */
async function loadFonts(config: DossierFontConfig): Promise<LoadedFonts | null> {
  if (!(await exists(config.path))) return null;
  const regular = await readFile(config.path);
  // Noto ships Bold next to Regular with the same naming; use it for headings when present.
  const boldPath = config.path.replace(/Regular(\.\w+)$/, 'Bold$1');
  const boldFamily = config.family.replace(/Regular$/, 'Bold');
  const bold =
    boldPath !== config.path && boldFamily !== config.family && (await exists(boldPath))
      ? { src: await readFile(boldPath), family: boldFamily }
      : null;
  const monoFamily = config.family.replace(/^NotoSansCJK/, 'NotoSansMonoCJK');
  return {
    regular: { src: regular, family: config.family },
    bold,
    mono: monoFamily !== config.family ? { src: regular, family: monoFamily } : null,
  };
}

const COLORS = { heading: '#1f3a68', muted: '#555555', rule: '#b8c4d6', text: '#111111' };

/**
 * Renders the dossier as an A4 PDF in the case's locale and returns its bytes. Rendered in
 * full before anything is sent, so a failure is still a proper problem response, not a
 * truncated download (dossiers are tens of kilobytes).
 */
export async function renderDossierPdf(
  dossier: Dossier,
  fontConfig: DossierFontConfig,
): Promise<Buffer> {
  const fonts = await loadFonts(fontConfig);
  if (!fonts && needsCjkFont(dossier)) {
    throw new ServiceUnavailableError(
      `The dossier PDF needs a CJK font, and none is installed at ${fontConfig.path}. ${INSTALL_HINT} The JSON dossier (format=json) works without it.`,
    );
  }
  const locale: Locale = dossier.locale;
  // Loaded on first use: pdfkit and fontkit add ~20 MB to the resident size of every server,
  // and most never print a dossier.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    lang: locale,
    displayTitle: true,
    info: {
      Title: `${dossier.case.reference} ${title(dossier)}`,
      Author: 'Redress',
      Subject: dossier.consumerBody?.name ?? 'Complaint dossier',
      CreationDate: new Date(dossier.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  let regular = 'Helvetica';
  let bold = 'Helvetica-Bold';
  let mono = 'Courier';
  if (fonts) {
    try {
      doc.registerFont('body', fonts.regular.src, fonts.regular.family);
      doc.font('body');
      regular = 'body';
      bold = 'body';
      if (fonts.bold) {
        doc.registerFont('heading', fonts.bold.src, fonts.bold.family);
        bold = 'heading';
      }
      if (fonts.mono) {
        doc.registerFont('mono', fonts.mono.src, fonts.mono.family);
        mono = 'mono';
      }
    } catch (error) {
      throw new ServiceUnavailableError(
        `The CJK font at ${fontConfig.path} has no face named ${fontConfig.family} (${error instanceof Error ? error.message : String(error)}). ${INSTALL_HINT}`,
      );
    }
  }

  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const when = (iso: string) => formatInstant(iso, dossier.case.utcOffsetMinutes);

  const heading = (text: string) => {
    doc.moveDown(0.8);
    doc.font(bold).fontSize(13).fillColor(COLORS.heading).text(text, { width });
    const y = doc.y + 2;
    doc
      .moveTo(doc.page.margins.left, y)
      .lineTo(doc.page.margins.left + width, y)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
    doc.moveDown(0.4);
  };
  const paragraph = (
    text: string,
    options: { size?: number; color?: string; font?: string } = {},
  ) => {
    doc
      .font(options.font ?? regular)
      .fontSize(options.size ?? 10.5)
      .fillColor(options.color ?? COLORS.text)
      .text(text, { width, lineGap: 2 });
  };

  // Title block.
  doc.font(bold).fontSize(18).fillColor(COLORS.heading).text(title(dossier), { width });
  doc.moveDown(0.3);
  paragraph(
    [
      field(UI.reference, locale, dossier.case.reference),
      field(UI.category, locale, dossier.case.categoryLabel),
      field(UI.jurisdiction, locale, dossier.case.jurisdiction) +
        (dossier.consumerBody
          ? `    ${field(UI.consumerBody, locale, dossier.consumerBody.name)}`
          : ''),
      field(UI.state, locale, dossier.case.state),
      field(UI.generatedAt, locale, when(dossier.generatedAt)),
    ].join('\n'),
    { color: COLORS.muted, size: 10 },
  );

  // The body's form, section by section.
  for (const section of dossier.sections) {
    heading(section.label);
    paragraph(section.lines.join('\n'));
  }

  if (dossier.missing.length > 0) {
    heading(say(UI.missing, locale));
    paragraph(dossier.missing.map((m) => `• ${m.note}`).join('\n'), { color: '#8a1c1c' });
  }

  heading(say(UI.platformResponse, locale));
  const response = dossier.platformResponse;
  if (!response) {
    paragraph(say(UI.noResponse, locale));
  } else {
    paragraph(
      [
        field(UI.respondedAt, locale, when(response.at)),
        field(UI.outcome, locale, response.outcomeLabel ?? '—'),
        ...(response.remedy ? [field(UI.remedy, locale, response.remedy)] : []),
        field(UI.message, locale, response.message ?? '—'),
      ].join('\n'),
    );
    if (dossier.complainantReply) {
      const reply = dossier.complainantReply;
      paragraph(
        field(
          UI.complainantReply,
          locale,
          `${labelOf(EVENT_LABELS, reply.type, locale)} (${when(reply.at)})${reply.reason ? ` — ${reply.reason}` : ''}`,
        ),
      );
    }
  }

  heading(say(UI.manifest, locale));
  if (dossier.evidence.length === 0) {
    paragraph(say(UI.none, locale));
  } else {
    paragraph(say(UI.manifestNote, locale), { color: COLORS.muted, size: 9 });
    dossier.evidence.forEach((item, index) => {
      doc.moveDown(0.3);
      paragraph(
        `${index + 1}. ${item.originalName ?? item.id} (${item.mediaType ?? '?'}, ${item.size ?? '?'} bytes)${item.flagged ? say(UI.flagged, locale) : ''}${item.description ? ` — ${item.description}` : ''}`,
        { size: 10 },
      );
      paragraph(`SHA-256 ${item.sha256 ?? '—'}`, { font: mono, size: 8, color: COLORS.muted });
    });
  }

  heading(say(UI.timeline, locale));
  for (const entry of dossier.timeline) {
    const details = Object.entries(entry.data ?? {})
      .filter(([key, value]) => typeof value === 'string' && key !== 'reference')
      .map(([, value]) => String(value))
      .join(' / ');
    paragraph(
      `#${entry.seq}  ${when(entry.at)}  ${labelOf(EVENT_LABELS, entry.type, locale)} (${labelOf(ROLE_LABELS, entry.actor.role, locale)})  ${entry.fromState ?? '—'} → ${entry.toState}`,
      { size: 9.5 },
    );
    if (details) paragraph(details, { size: 9, color: COLORS.muted });
    paragraph(`hash ${entry.hash}`, { font: mono, size: 7, color: COLORS.muted });
    doc.moveDown(0.2);
  }
  doc.moveDown(0.4);
  paragraph(
    dossier.chain.verified
      ? say(UI.chainOk, locale, {
          n: dossier.chain.entries,
          hash: dossier.chain.lastHash.slice(0, 16),
        })
      : say(UI.chainBroken, locale, {
          seq: dossier.chain.brokenAt ?? '?',
          problem: dossier.chain.problem ?? '',
        }),
    { size: 9.5, color: dossier.chain.verified ? '#1d5e2b' : '#8a1c1c' },
  );

  // Page footers, written once every page exists so they can say "of N". The bottom margin is
  // lifted while writing, or pdfkit would start a new page for text placed inside it.
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(regular)
      .fontSize(8)
      .fillColor(COLORS.muted)
      .text(
        `${dossier.case.reference} · ${say(UI.page, locale, { n: index + 1, total: range.count })}`,
        doc.page.margins.left,
        doc.page.height - 40,
        { width, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return finished;
}

function title(dossier: Dossier): string {
  const locale = dossier.locale;
  if (dossier.form === '12315') return say(UI.title12315, locale);
  if (dossier.consumerBody) return say(UI.titleBody, locale, { body: dossier.consumerBody.name });
  return say(UI.titleNoBody, locale);
}
