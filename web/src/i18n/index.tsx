import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import {
  interpolate,
  isLanguage,
  languageFromBrowser,
  type Catalog,
  type Language,
} from './catalog';
import type { catalogs } from './messages';
import { caseWords } from './messages/case.ts';
import { common } from './messages/common.ts';

type Catalogs = typeof catalogs;
type KeysOf<C> = C extends { en: Record<infer K, string> } ? K : never;
export type MessageKey = { [A in keyof Catalogs]: KeysOf<Catalogs[A]> }[keyof Catalogs];

const STORAGE_KEY = 'redress.language';

const tables: Record<Language, Record<string, string>> = { en: {}, 'zh-CN': {} };

/**
 * Adds an area's strings. The shell carries only the common words and the case vocabulary;
 * each area's catalog arrives with its pages (see `page()` in App.tsx), so a complainant's
 * phone never downloads the officers' strings.
 */
export function registerCatalog(catalog: Catalog<string>): void {
  Object.assign(tables.en, catalog.en);
  Object.assign(tables['zh-CN'], catalog['zh-CN']);
}
registerCatalog(common);
registerCatalog(caseWords);

const AREA_CATALOGS = {
  complainant: () => import('./messages/complainant.ts').then((m) => m.complainant),
  officer: () => import('./messages/officer.ts').then((m) => m.officer),
  compliance: () => import('./messages/compliance.ts').then((m) => m.compliance),
};
export type Area = keyof typeof AREA_CATALOGS;

export async function loadAreas(areas: readonly Area[]): Promise<void> {
  for (const catalog of await Promise.all(areas.map((area) => AREA_CATALOGS[area]())))
    registerCatalog(catalog);
}

export interface Formatters {
  date(value: string | Date): string;
  dateTime(value: string | Date): string;
  money(amount: number | string, currency: string): string;
  /** "in 3 days" / "2 hours ago", in the largest unit that fits. */
  relative(value: string | Date, now?: Date): string;
  number(value: number): string;
}

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** For keys built at run time (a state, a category): the key itself when it has no string. */
  tDynamic(key: string, values?: Record<string, string | number>): string;
  fmt: Formatters;
}

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): Language | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function initialLanguage(): Language {
  return storedLanguage() ?? languageFromBrowser(navigator.languages ?? [navigator.language]);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function formatters(lang: Language): Formatters {
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const number = new Intl.NumberFormat(lang);
  return {
    date: (value) => date.format(new Date(value)),
    dateTime: (value) => dateTime.format(new Date(value)),
    money: (amount, currency) => {
      try {
        return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(Number(amount));
      } catch {
        return `${amount} ${currency}`;
      }
    },
    relative: (value, now = new Date()) => {
      const diff = new Date(value).getTime() - now.getTime();
      for (const [unit, ms] of UNITS) {
        if (Math.abs(diff) >= ms || unit === 'minute') {
          return relative.format(Math.round(diff / ms), unit);
        }
      }
      return relative.format(0, 'minute');
    },
    number: (value) => number.format(value),
  };
}

export function I18nProvider({
  children,
  accountLanguage,
}: {
  children: ReactNode;
  accountLanguage?: Language | undefined;
}) {
  const [chosen, setChosen] = useState<Language | undefined>(storedLanguage);
  const [browser] = useState(initialLanguage);
  // An explicit choice on this device wins; then the account's language; then the browser's.
  const lang = chosen ?? accountLanguage ?? browser;

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this page only.
    }
    setChosen(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const table = tables[lang];
    const tDynamic = (key: string, values?: Record<string, string | number>) =>
      interpolate(table[key] ?? tables.en[key] ?? key, values);
    return { lang, setLang, t: tDynamic, tDynamic, fmt: formatters(lang) };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
