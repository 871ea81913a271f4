// Dates, amounts and places as the consumer body reads them: in the dossier's language, with the
// conventions of the body's country (en-US for the CFPB, en-GB for FOS, en-DE for a German ADR
// body, zh-CN for 12315), and times on the jurisdiction's clock (the policy row's utcOffsetMinutes).
import type { Locale } from './labels.ts';

/** The dossier's language with the jurisdiction's conventions, as Intl knows them. */
export function intlLocaleFor(locale: Locale, jurisdiction: string): string {
  if (locale === 'zh-CN') return 'zh-CN';
  const regional = `en-${jurisdiction}`;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([regional]).length > 0 ? regional : 'en';
  } catch {
    return 'en';
  }
}

/** `UTC+8`, `UTC-5`, `UTC+5:30`. */
export function zoneName(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offsetMinutes) / 60);
  const minutes = Math.abs(offsetMinutes) % 60;
  return `UTC${sign}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/**
 * The printing conventions of one dossier. Intl takes named zones only, so the instant is
 * shifted by the fixed offset and formatted as UTC: the same wall-clock time, with no daylight
 * saving, which is what the policy's fixed offsets mean.
 */
export interface DossierFormat {
  locale: Locale;
  intlLocale: string;
  offsetMinutes: number;
  /** `2026年11月1日 18:00（UTC+8）`, `November 1, 2026 at 6:00 PM (UTC-5)`. */
  instant(iso: string): string;
  /** `2026年11月11日`, `11 November 2026`: a deadline's day. */
  day(iso: string): string;
  money(amount: { amountMinor: number; currency: string }): string;
  /** `中国`, `Germany`: a country by its ISO 3166-1 alpha-2 code. */
  region(alpha2: string): string;
}

export function dossierFormat(
  locale: Locale,
  jurisdiction: string,
  offsetMinutes: number,
): DossierFormat {
  const intlLocale = intlLocaleFor(locale, jurisdiction);
  const shifted = (iso: string) => new Date(Date.parse(iso) + offsetMinutes * 60_000);
  const dateTime = new Intl.DateTimeFormat(intlLocale, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const dateOnly = new Intl.DateTimeFormat(intlLocale, { dateStyle: 'long', timeZone: 'UTC' });
  const regions = new Intl.DisplayNames([intlLocale], { type: 'region', fallback: 'code' });
  const zone = zoneName(offsetMinutes);
  // ICU puts narrow no-break spaces before AM/PM: the built-in PDF fonts have no such glyph.
  const plain = (text: string) => text.replace(/[\u202f\u2009]/g, ' ');
  return {
    locale,
    intlLocale,
    offsetMinutes,
    instant: (iso) =>
      locale === 'zh-CN'
        ? `${plain(dateTime.format(shifted(iso)))}（${zone}）`
        : `${plain(dateTime.format(shifted(iso)))} (${zone})`,
    day: (iso) => plain(dateOnly.format(shifted(iso))),
    money: (amount) => plain(formatMoney(amount, intlLocale)),
    region: (alpha2) => regions.of(alpha2) ?? alpha2,
  };
}

/** `¥1,299.00` / `$12.50`: minor units divided by the currency's own number of decimals. */
export function formatMoney(
  amount: { amountMinor: number; currency: string },
  intlLocale: string,
): string {
  try {
    const format = new Intl.NumberFormat(intlLocale, {
      style: 'currency',
      currency: amount.currency,
    });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount.amountMinor / 10 ** digits);
  } catch {
    // An unknown currency code: the number in the reader's format, then the code as written.
    return `${new Intl.NumberFormat(intlLocale).format(amount.amountMinor / 100)} ${amount.currency}`;
  }
}
