import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import type { I18n } from '../../i18n';
import { countryName } from '../officer/shared';

export type ExportRecord = Schemas['Export'];
export type Account = Schemas['User'];
export type Role = Account['role'];

export const ROLES = ['officer', 'compliance', 'admin', 'complainant'] as const satisfies Role[];

/** The audit trail of exports, newest first, a page at a time. */
export function useExportRecords(options: { enabled?: boolean; poll?: boolean; limit?: number }) {
  return useInfiniteQuery({
    queryKey: ['exports', options.limit ?? 20],
    enabled: options.enabled ?? true,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/exports', {
          params: {
            query: { limit: options.limit ?? 20, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // An export still being written gets its count and digest when it finishes.
    refetchInterval: (query) =>
      options.poll ||
      query.state.data?.pages.some((page) => page.items.some((item) => item.status === 'running'))
        ? 1000
        : false,
  });
}

/** "12.3 MB", in the reader's language. */
export function formatBytes(bytes: number, lang: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

const FILTER_LABELS = {
  state: 'exports.field.state',
  category: 'exports.field.category',
  jurisdiction: 'exports.field.country',
  consumerBody: 'exports.field.consumerBody',
  filedFrom: 'exports.field.filedFrom',
  filedTo: 'exports.field.filedTo',
} as const;

/** An export's filters in words: "Category: A payment failed; Country: China". */
export function describeFilters(filters: Record<string, string>, i18n: I18n): string {
  const { t, tDynamic, lang } = i18n;
  const parts = Object.entries(filters).map(([name, value]) => {
    const label =
      name in FILTER_LABELS ? t(FILTER_LABELS[name as keyof typeof FILTER_LABELS]) : name;
    const shown =
      name === 'state'
        ? tDynamic(`state.${value}`)
        : name === 'category'
          ? tDynamic(`category.${value}`)
          : name === 'jurisdiction'
            ? countryName(value, lang)
            : value;
    return `${label}: ${shown}`;
  });
  return parts.length > 0 ? parts.join('; ') : t('exports.allCases');
}
