export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One area's strings: English defines the keys, and zh-CN must have every one of them. */
export interface Catalog<K extends string> {
  en: Record<K, string>;
  'zh-CN': Record<K, string>;
}

export function defineCatalog<const E extends Record<string, string>>(
  en: E,
  zh: Record<keyof E, string>,
): Catalog<Extract<keyof E, string>> {
  return { en, 'zh-CN': zh } as Catalog<Extract<keyof E, string>>;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's languages we speak, the way Accept-Language would choose. */
export function languageFromBrowser(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function interpolate(template: string, values?: Record<string, string | number>): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
