// What the dossier PDF prints, in order: the title block, the body's form, what is missing, the
// platform's final response, the evidence manifest and the verified timeline. Only the
// dossier's display fields are printed (labels and formatted values, never codes).
import { ENTRY_FIELD_LABELS } from '../../workflows/labels.ts';
import { UI, field, say } from './labels.ts';
import type { Dossier } from './service.ts';

type Doc = PDFKit.PDFDocument;

const COLORS = {
  heading: '#1f3a68',
  muted: '#555555',
  rule: '#b8c4d6',
  text: '#111111',
  bad: '#8a1c1c',
  good: '#1d5e2b',
};

export interface Printer {
  doc: Doc;
  width: number;
  fonts: { regular: string; bold: string; mono: string };
  /** Helvetica (WinAnsi) has no arrow; the CJK font has. */
  arrow: string;
  heading(text: string): void;
  paragraph(text: string, options?: { size?: number; color?: string; font?: string }): void;
}

export function printerFor(doc: Doc, fonts: Printer['fonts'], unicode: boolean): Printer {
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  return {
    doc,
    width,
    fonts,
    arrow: unicode ? '→' : '->',
    heading(text) {
      doc.moveDown(0.8);
      doc.font(fonts.bold).fontSize(13).fillColor(COLORS.heading).text(text, { width });
      const y = doc.y + 2;
      doc
        .moveTo(doc.page.margins.left, y)
        .lineTo(doc.page.margins.left + width, y)
        .lineWidth(0.5)
        .strokeColor(COLORS.rule)
        .stroke();
      doc.moveDown(0.4);
    },
    paragraph(text, options = {}) {
      doc
        .font(options.font ?? fonts.regular)
        .fontSize(options.size ?? 10.5)
        .fillColor(options.color ?? COLORS.text)
        .text(text, { width, lineGap: 2 });
    },
  };
}

export function title(dossier: Dossier): string {
  const locale = dossier.locale;
  if (dossier.form === '12315') return say(UI.title12315, locale);
  if (dossier.consumerBody) return say(UI.titleBody, locale, { body: dossier.consumerBody.name });
  return say(UI.titleNoBody, locale);
}

function printTitle(p: Printer, dossier: Dossier) {
  const { locale } = dossier;
  p.doc.font(p.fonts.bold).fontSize(18).fillColor(COLORS.heading).text(title(dossier), {
    width: p.width,
  });
  p.doc.moveDown(0.3);
  p.paragraph(
    [
      field(UI.reference, locale, dossier.case.reference),
      field(ENTRY_FIELD_LABELS.category, locale, dossier.case.categoryLabel),
      field(UI.jurisdiction, locale, dossier.case.jurisdictionLabel),
      ...(dossier.consumerBody ? [field(UI.consumerBody, locale, dossier.consumerBody.name)] : []),
      field(UI.state, locale, dossier.case.stateLabel),
      field(UI.generatedAt, locale, dossier.generatedAtText),
    ].join('\n'),
    { color: COLORS.muted, size: 10 },
  );
}

function printResponse(p: Printer, dossier: Dossier) {
  const { locale } = dossier;
  p.heading(say(UI.platformResponse, locale));
  const response = dossier.platformResponse;
  if (!response) {
    p.paragraph(say(UI.noResponse, locale));
    return;
  }
  p.paragraph(
    [
      field(UI.respondedAt, locale, response.atText),
      field(ENTRY_FIELD_LABELS.outcome, locale, response.outcomeLabel ?? '—'),
      ...(response.remedy ? [field(ENTRY_FIELD_LABELS.remedy, locale, response.remedy)] : []),
      field(ENTRY_FIELD_LABELS.message, locale, response.message ?? '—'),
    ].join('\n'),
  );
  const reply = dossier.complainantReply;
  if (reply) {
    const said =
      locale === 'zh-CN'
        ? `${reply.typeLabel}（${reply.atText}）${reply.reason ? `：${reply.reason}` : ''}`
        : `${reply.typeLabel} (${reply.atText})${reply.reason ? ` — ${reply.reason}` : ''}`;
    p.paragraph(field(UI.complainantReply, locale, said));
  }
}

function printManifest(p: Printer, dossier: Dossier) {
  const { locale } = dossier;
  const count = new Intl.NumberFormat(dossier.format.intlLocale);
  p.heading(say(UI.manifest, locale));
  if (dossier.evidence.length === 0) {
    p.paragraph(say(UI.none, locale));
    return;
  }
  p.paragraph(say(UI.manifestNote, locale), { color: COLORS.muted, size: 9 });
  dossier.evidence.forEach((item, index) => {
    const type = item.mediaType ?? say(UI.unknownFile, locale);
    const size =
      item.size === null ? '' : `, ${say(UI.bytes, locale, { n: count.format(item.size) })}`;
    p.doc.moveDown(0.3);
    p.paragraph(
      `${index + 1}. ${item.originalName ?? item.id} (${type}${size})${item.flagged ? say(UI.flagged, locale) : ''}${item.description ? ` — ${item.description}` : ''}`,
      { size: 10 },
    );
    p.paragraph(`SHA-256 ${item.sha256 ?? '—'}`, {
      font: p.fonts.mono,
      size: 8,
      color: COLORS.muted,
    });
  });
}

function printTimeline(p: Printer, dossier: Dossier) {
  const { locale, chain } = dossier;
  p.heading(say(UI.timeline, locale));
  for (const entry of dossier.printedTimeline) {
    const moved = entry.from === null ? entry.to : `${entry.from} ${p.arrow} ${entry.to}`;
    const who = locale === 'zh-CN' ? `（${entry.who}）` : ` (${entry.who})`;
    p.paragraph(`#${entry.seq}  ${entry.when}  ${entry.what}${who}  ${moved}`, { size: 9.5 });
    if (entry.details.length > 0) {
      p.paragraph(entry.details.join('\n'), { size: 9, color: COLORS.muted });
    }
    p.paragraph(field(UI.hash, locale, entry.hash), {
      font: p.fonts.mono,
      size: 7,
      color: COLORS.muted,
    });
    p.doc.moveDown(0.2);
  }
  p.doc.moveDown(0.4);
  p.paragraph(
    chain.verified
      ? say(UI.chainOk, locale, { n: chain.entries, hash: chain.lastHash.slice(0, 16) })
      : say(UI.chainBroken, locale, { seq: chain.brokenAt ?? '?', problem: chain.problem ?? '' }),
    { size: 9.5, color: chain.verified ? COLORS.good : COLORS.bad },
  );
}

/** Everything but the page footers, which need the page count. */
export function printDossier(p: Printer, dossier: Dossier): void {
  printTitle(p, dossier);
  // The body's form, section by section.
  for (const section of dossier.sections) {
    p.heading(section.label);
    p.paragraph(section.lines.join('\n'));
  }
  if (dossier.missing.length > 0) {
    p.heading(say(UI.missing, dossier.locale));
    p.paragraph(dossier.missing.map((m) => `• ${m.note}`).join('\n'), { color: COLORS.bad });
  }
  printResponse(p, dossier);
  printManifest(p, dossier);
  printTimeline(p, dossier);
}
