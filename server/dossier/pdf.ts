import { access, readFile } from 'node:fs/promises';
import { ServiceUnavailableError } from '../errors.ts';
import { UI, say, type Locale } from './labels.ts';
import { printDossier, printerFor, title, type Printer } from './pdf-content.ts';
import type { Dossier } from './service.ts';

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

const MUTED = '#555555';

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

  const faces = registerFonts(doc, fonts, fontConfig);
  const printer = printerFor(doc, faces, fonts !== null);
  printDossier(printer, dossier);
  printFooters(printer, dossier);
  doc.end();
  return finished;
}

/** The document's faces: the CJK font's when it is installed, else PDF's built-in ones. */
function registerFonts(
  doc: PDFKit.PDFDocument,
  fonts: LoadedFonts | null,
  fontConfig: DossierFontConfig,
): Printer['fonts'] {
  if (!fonts) return { regular: 'Helvetica', bold: 'Helvetica-Bold', mono: 'Courier' };
  try {
    doc.registerFont('body', fonts.regular.src, fonts.regular.family);
    doc.font('body');
    if (fonts.bold) doc.registerFont('heading', fonts.bold.src, fonts.bold.family);
    if (fonts.mono) doc.registerFont('mono', fonts.mono.src, fonts.mono.family);
  } catch (error) {
    throw new ServiceUnavailableError(
      `The CJK font at ${fontConfig.path} has no face named ${fontConfig.family} (${error instanceof Error ? error.message : String(error)}). ${INSTALL_HINT}`,
    );
  }
  return {
    regular: 'body',
    bold: fonts.bold ? 'heading' : 'body',
    mono: fonts.mono ? 'mono' : 'Courier',
  };
}

/**
 * Page footers, written once every page exists so they can say "of N". The bottom margin is
 * lifted while writing, or pdfkit would start a new page for text placed inside it.
 */
function printFooters({ doc, fonts, width }: Printer, dossier: Dossier): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(fonts.regular)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${dossier.case.reference} · ${say(UI.page, dossier.locale, { n: index + 1, total: range.count })}`,
        doc.page.margins.left,
        doc.page.height - 40,
        { width, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}
