import {
  Button,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { ErrorSummary, type FieldError } from '../../components/ErrorSummary';
import { useI18n } from '../../i18n';
import { CATEGORIES, COUNTRIES, STATES, countryName, useWorkflow } from '../officer/shared';

interface Filters {
  format: 'ndjson' | 'csv';
  state: string;
  category: string;
  jurisdiction: string;
  consumerBody: string;
  filedFrom: string;
  filedTo: string;
}

const EMPTY: Filters = {
  format: 'ndjson',
  state: '',
  category: '',
  jurisdiction: '',
  consumerBody: '',
  filedFrom: '',
  filedTo: '',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The streaming endpoint with only the filters that are set: the server refuses empty ones. */
export function exportUrl(filters: Filters): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return `/api/v1/exports/cases?${query.toString()}`;
}

function validate(filters: Filters, t: ReturnType<typeof useI18n>['t']): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['filedFrom', 'filedTo'] as const) {
    const value = filters[field];
    if (value && (!DATE.test(value) || Number.isNaN(Date.parse(value))))
      errors.push({ fieldId: `export-${field}`, message: t('exports.error.date') });
  }
  if (
    errors.length === 0 &&
    filters.filedFrom &&
    filters.filedTo &&
    filters.filedTo < filters.filedFrom
  )
    errors.push({ fieldId: 'export-filedTo', message: t('exports.error.range') });
  return errors;
}

/** The consumer bodies named anywhere in the policy (12315, CFPB, FOS…), for the filter. */
function useConsumerBodies(): string[] {
  const { data } = useWorkflow();
  return useMemo(() => {
    const codes = new Set<string>();
    for (const row of Object.values(data?.policy.consumerBodies ?? {}))
      for (const code of Object.values(row)) if (code) codes.add(code);
    return [...codes].sort();
  }, [data]);
}

/**
 * A plain link download: the browser streams the file to disk with the session cookie, however
 * large, instead of holding it in memory as a fetch + blob would.
 */
function startDownload(url: string) {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

export function ExportForm({ onStarted }: { onStarted(): void }) {
  const { t, tDynamic, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [started, setStarted] = useState(false);
  const bodies = useConsumerBodies();
  const all = { value: '', label: t('common.all') };
  const errorOf = (id: string) => errors.find((error) => error.fieldId === id)?.message;
  const set = (name: keyof Filters) => (event: { currentTarget: { value: string } }) =>
    setFilters({ ...filters, [name]: event.currentTarget.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate(filters, t);
    setErrors(found);
    setStarted(false);
    if (found.length > 0) return;
    startDownload(exportUrl(filters));
    setStarted(true);
    onStarted();
  }

  return (
    <Stack gap="sm">
      <Title order={2}>{t('exports.formTitle')}</Title>
      <ErrorSummary errors={errors} />
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <NativeSelect
              id="export-state"
              label={t('exports.field.state')}
              value={filters.state}
              onChange={set('state')}
              data={[
                all,
                ...STATES.map((code) => ({ value: code, label: tDynamic(`state.${code}`) })),
              ]}
            />
            <NativeSelect
              id="export-category"
              label={t('exports.field.category')}
              value={filters.category}
              onChange={set('category')}
              data={[
                all,
                ...CATEGORIES.map((code) => ({ value: code, label: tDynamic(`category.${code}`) })),
              ]}
            />
            <NativeSelect
              id="export-jurisdiction"
              label={t('exports.field.country')}
              value={filters.jurisdiction}
              onChange={set('jurisdiction')}
              data={[
                all,
                ...COUNTRIES.map((code) => ({ value: code, label: countryName(code, lang) })),
              ]}
            />
            <NativeSelect
              id="export-consumerBody"
              label={t('exports.field.consumerBody')}
              value={filters.consumerBody}
              onChange={set('consumerBody')}
              data={[all, ...bodies]}
            />
            <TextInput
              id="export-filedFrom"
              type="date"
              label={t('exports.field.filedFrom')}
              value={filters.filedFrom}
              onChange={set('filedFrom')}
              error={errorOf('export-filedFrom')}
            />
            <TextInput
              id="export-filedTo"
              type="date"
              label={t('exports.field.filedTo')}
              description={t('exports.field.filedToHint')}
              value={filters.filedTo}
              onChange={set('filedTo')}
              error={errorOf('export-filedTo')}
            />
            <NativeSelect
              id="export-format"
              label={t('exports.field.format')}
              value={filters.format}
              onChange={(event) =>
                setFilters({
                  ...filters,
                  format: event.currentTarget.value === 'csv' ? 'csv' : 'ndjson',
                })
              }
              data={[
                { value: 'ndjson', label: t('exports.format.ndjson') },
                { value: 'csv', label: t('exports.format.csv') },
              ]}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit">{t('exports.export')}</Button>
          </Group>
        </Stack>
      </form>
      <Text role="status" size="sm">
        {started ? t('exports.started') : ''}
      </Text>
    </Stack>
  );
}
