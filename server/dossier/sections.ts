// The body's form, section by section, in the dossier's language: what the PDF prints under each
// heading and what the JSON carries in `sections`. What the body requires and the case lacks is
// missing.ts, the escalation's own rule.
import {
  CATEGORY_LABELS,
  ENTRY_FIELD_LABELS,
  EVIDENCE_KIND_LABELS,
  RESPONDENT_KIND_LABELS,
  labelFor,
} from '../../workflows/labels.ts';
import type { Timeliness } from '../../workflows/timeliness.ts';
import type { EvidenceManifestItem, StoredCase } from '../exports/document.ts';
import type { UserRecord } from '../users/model.ts';
import type { DossierFormat } from './format.ts';
import { SECTION_LABELS, UI, field, say, type SectionKey } from './labels.ts';
import { bodyClockLines, timelinessLines } from './printing.ts';
import type { DossierForm, DossierSection } from './schemas.ts';

/** A postal address as an account may hold it (server/users/contact.ts). */
interface StoredAddress {
  lines?: string[];
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** The complainant's phone and address, when the account has them, the address printed. */
export function contactOf(
  owner: UserRecord | null,
  fmt: DossierFormat,
): { phone: string | null; postalAddress: string | null } {
  const account = (owner ?? {}) as { phone?: unknown; postalAddress?: unknown };
  const phone = typeof account.phone === 'string' && account.phone ? account.phone : null;
  const stored = account.postalAddress as StoredAddress | null | undefined;
  if (!stored || typeof stored !== 'object') return { phone, postalAddress: null };
  const lines = (stored.lines ?? []).filter(Boolean);
  const country = stored.country ? fmt.region(stored.country) : '';
  // Chinese addresses run from the country down to the street; others the other way round.
  const street = lines.join(fmt.locale === 'zh-CN' ? '' : ', ');
  // A Chinese street line often starts with its province and city already: not twice.
  const above = [...new Set([stored.region, stored.locality])].filter(
    (part): part is string => !!part && !street.includes(part),
  );
  const postalAddress =
    fmt.locale === 'zh-CN'
      ? `${country}${above.join('')}${street}${stored.postalCode ? `（邮编 ${stored.postalCode}）` : ''}`
      : [
          ...lines,
          stored.locality,
          [stored.region, stored.postalCode].filter(Boolean).join(' '),
          country,
        ]
          .filter(Boolean)
          .join(', ');
  return { phone, postalAddress: postalAddress || null };
}

/** The respondent's address and registration number, when the case has them. */
export function respondentOf(record: StoredCase): {
  address: string | null;
  registrationNumber: string | null;
} {
  const respondent = record.respondent as { address?: unknown; registrationNumber?: unknown };
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return {
    address: text(respondent.address),
    registrationNumber: text(respondent.registrationNumber),
  };
}

export interface SectionInput {
  form: DossierForm;
  fmt: DossierFormat;
  record: StoredCase;
  owner: UserRecord | null;
  contact: ReturnType<typeof contactOf>;
  respondent: ReturnType<typeof respondentOf>;
  evidence: EvidenceManifestItem[];
  timeliness: Timeliness;
  dates: {
    occurredAt: string;
    filedAt: string;
    respondedAt: string | null;
    escalatedAt: string | null;
  };
}

function partiesSections(input: SectionInput, section: (key: SectionKey, lines: string[]) => void) {
  const { form, fmt, record, owner, contact, respondent } = input;
  const line = (label: { 'zh-CN': string; en: string }, value: string) =>
    field(label, fmt.locale, value);
  section('complainant', [
    line(UI.name, owner?.name ?? '—'),
    ...(contact.phone ? [line(UI.phone, contact.phone)] : []),
    ...(contact.postalAddress ? [line(UI.postalAddress, contact.postalAddress)] : []),
    line(UI.email, owner?.email ?? '—'),
    line(UI.account, record.ownerId.toHexString()),
  ]);
  section('respondent', [
    line(UI.companyName, record.respondent.name),
    line(UI.respondentKind, labelFor(RESPONDENT_KIND_LABELS, record.respondent.kind, fmt.locale)),
    // 12315's form has a box for the address: left visibly empty when the case has neither it
    // nor the credit code 12315 takes instead (the missing list says so too).
    ...(respondent.address
      ? [line(ENTRY_FIELD_LABELS['respondent.address'], respondent.address)]
      : form === '12315' && !respondent.registrationNumber
        ? [line(ENTRY_FIELD_LABELS['respondent.address'], say(UI.notCollected, fmt.locale))]
        : []),
    ...(respondent.registrationNumber
      ? [line(ENTRY_FIELD_LABELS['respondent.registrationNumber'], respondent.registrationNumber)]
      : []),
  ]);
}

/** The sections of the body's form. */
export function dossierSections(input: SectionInput): DossierSection[] {
  const { form, fmt, record, evidence, timeliness, dates } = input;
  const { locale } = fmt;
  const line = (label: { 'zh-CN': string; en: string }, value: string) =>
    field(label, locale, value);
  const sections: DossierSection[] = [];
  const section = (key: SectionKey, lines: string[]) =>
    sections.push({ key, label: SECTION_LABELS[key][locale], lines });
  const categoryLabel = labelFor(CATEGORY_LABELS, record.category, locale);

  partiesSections(input, section);
  if (form !== '12315') {
    section('product', [
      line(UI.product, say(UI.productValue, locale)),
      line(UI.issue, categoryLabel),
    ]);
  }
  section('transaction', [
    line(UI.occurredAt, fmt.instant(dates.occurredAt)),
    line(ENTRY_FIELD_LABELS.amount, fmt.money(record.transaction.amount)),
    ...(record.transaction.reference
      ? [line(UI.transactionReference, record.transaction.reference)]
      : []),
  ]);
  section('whatHappened', [record.narrative]);
  section('desiredResolution', [record.desiredOutcome]);
  if (form !== '12315') {
    section('dates', [
      line(UI.occurredAt, fmt.instant(dates.occurredAt)),
      line(UI.filedAt, fmt.instant(dates.filedAt)),
      ...(dates.respondedAt ? [line(UI.respondedAt, fmt.instant(dates.respondedAt))] : []),
      ...(dates.escalatedAt ? [line(UI.escalatedAt, fmt.instant(dates.escalatedAt))] : []),
    ]);
  }
  section(
    'evidence',
    evidence.length === 0
      ? [say(UI.none, locale)]
      : [
          say(UI.evidenceCount, locale, { n: evidence.length }),
          ...evidence.map(
            (item, index) =>
              `${index + 1}. ${field(EVIDENCE_KIND_LABELS[item.kind as keyof typeof EVIDENCE_KIND_LABELS] ?? EVIDENCE_KIND_LABELS.other, locale, item.description || item.originalName || item.id)}`,
          ),
        ],
  );
  section(
    'bodyDeadlines',
    timeliness.bodyClocks.length === 0
      ? [say(UI.noBodyClocks, locale)]
      : timeliness.bodyClocks.flatMap((clock) => bodyClockLines(clock, fmt)),
  );
  section('timeliness', timelinessLines(timeliness, fmt));

  return sections;
}
