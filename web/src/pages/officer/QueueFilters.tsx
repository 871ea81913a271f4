import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { CATEGORIES, COUNTRIES, STATES, countryName } from './shared';
import type { Order } from './Queue';

export interface Filters {
  category: string;
  jurisdiction: string;
  state: string;
  q: string;
}

/** Native selects apply at once; the search applies on its button (or Enter). */
export function QueueFilters({
  filters,
  order,
  onChange,
  onOrder,
}: {
  filters: Filters;
  order: Order;
  onChange(next: Filters): void;
  onOrder(next: Order): void;
}) {
  const { t, tDynamic, lang } = useI18n();
  const [q, setQ] = useState(filters.q);
  // A search changed from outside (the address, a reset) replaces what is in the box.
  const [applied, setApplied] = useState(filters.q);
  if (applied !== filters.q) {
    setApplied(filters.q);
    setQ(filters.q);
  }
  const all = { value: '', label: t('common.all') };

  function search(event: FormEvent) {
    event.preventDefault();
    onChange({ ...filters, q: q.trim() });
  }

  return (
    <Group align="end" gap="sm" wrap="wrap">
      <NativeSelect
        label={t('queue.filter.category')}
        value={filters.category}
        onChange={(event) => onChange({ ...filters, category: event.currentTarget.value })}
        data={[
          all,
          ...CATEGORIES.map((code) => ({ value: code, label: tDynamic(`category.${code}`) })),
        ]}
      />
      <NativeSelect
        label={t('queue.filter.country')}
        value={filters.jurisdiction}
        onChange={(event) => onChange({ ...filters, jurisdiction: event.currentTarget.value })}
        data={[all, ...COUNTRIES.map((code) => ({ value: code, label: countryName(code, lang) }))]}
      />
      <NativeSelect
        label={t('queue.filter.state')}
        value={filters.state}
        onChange={(event) => onChange({ ...filters, state: event.currentTarget.value })}
        data={[all, ...STATES.map((code) => ({ value: code, label: tDynamic(`state.${code}`) }))]}
      />
      <NativeSelect
        label={t('queue.order')}
        value={order}
        onChange={(event) => onOrder(event.currentTarget.value === 'filed' ? 'filed' : 'due')}
        data={[
          { value: 'due', label: t('queue.order.due') },
          { value: 'filed', label: t('queue.order.filed') },
        ]}
      />
      <form onSubmit={search} noValidate role="search">
        <Group align="end" gap="xs">
          <TextInput
            label={t('queue.search')}
            description={t('queue.searchHint')}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            maxLength={200}
          />
          <Button type="submit" variant="default">
            {t('common.search')}
          </Button>
        </Group>
      </form>
    </Group>
  );
}
