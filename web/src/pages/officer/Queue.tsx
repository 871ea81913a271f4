import { Badge, Button, Group, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n, type MessageKey } from '../../i18n';
import { QueueFilters, type Filters } from './QueueFilters';
import { QueueTable } from './QueueTable';
import { SolvedPanel } from './SolvedPanel';
import { CATEGORIES } from './shared';

const VIEWS = [
  'triage',
  'mine',
  'unassigned',
  'overdue',
  'urgent',
  'awaiting_complainant',
  'awaiting_bank',
  'escalated',
] as const;
type View = (typeof VIEWS)[number];

const VIEW_LABEL: Record<View, MessageKey> = {
  triage: 'queue.view.triage',
  mine: 'queue.view.mine',
  unassigned: 'queue.view.unassigned',
  overdue: 'queue.view.overdue',
  urgent: 'queue.view.urgent',
  awaiting_complainant: 'queue.view.awaitingComplainant',
  awaiting_bank: 'queue.view.awaitingBank',
  escalated: 'queue.view.escalated',
};

const PAGE_SIZE = 25;
const REFRESH_MS = 30_000;

function isCategory(value: string): value is (typeof CATEGORIES)[number] {
  return (CATEGORIES as readonly string[]).includes(value);
}

function isView(value: string | null): value is View {
  return (VIEWS as readonly string[]).includes(value ?? '');
}

export type Order = 'due' | 'filed';

function useCounts() {
  return useQuery({
    queryKey: ['caseCounts'],
    queryFn: () => unwrap(api.GET('/api/v1/cases/counts')),
    refetchInterval: REFRESH_MS,
  });
}

function useCasePage(view: View, filters: Filters, order: Order, cursor: string | undefined) {
  const query = {
    queue: view,
    limit: PAGE_SIZE,
    sort: order,
    ...(isCategory(filters.category) ? { category: filters.category } : {}),
    ...(filters.jurisdiction ? { jurisdiction: filters.jurisdiction } : {}),
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(cursor ? { cursor } : {}),
  };
  return useQuery({
    queryKey: ['cases', query],
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query } })),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

function Pager({
  n,
  canGoBack,
  next,
  onBack,
  onNext,
}: {
  n: number;
  canGoBack: boolean;
  next: string | null | undefined;
  onBack(): void;
  onNext(cursor: string): void;
}) {
  const { t } = useI18n();
  return (
    <Group justify="space-between">
      <Button variant="default" disabled={!canGoBack} onClick={onBack}>
        {t('common.previous')}
      </Button>
      <Text size="sm" aria-live="polite">
        {t('queue.page', { n })}
      </Text>
      <Button variant="default" disabled={!next} onClick={() => next && onNext(next)}>
        {t('queue.nextPage')}
      </Button>
    </Group>
  );
}

/** One page of a view from the server, with a stack of cursors for Previous and Next. */
function CaseList({ view, filters, order }: { view: View; filters: Filters; order: Order }) {
  // Cursors of the pages before this one: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<string[]>([]);
  const { t } = useI18n();
  const page = useCasePage(view, filters, order, cursors.at(-1));
  // Free-text search answers newest first whatever was asked: say the order the page is in.
  const shown = page.data?.order ?? order;
  return (
    <>
      <Text size="sm" c="dimmed">
        {shown === 'due' ? t('queue.sortedByDue') : t('queue.sortedByFiled')}
      </Text>
      <ProblemAlert error={page.error} />
      <QueueTable rows={page.data?.items ?? []} loading={page.isPending} />
      <Pager
        n={cursors.length + 1}
        canGoBack={cursors.length > 0}
        next={page.data?.nextCursor}
        onBack={() => setCursors((stack) => stack.slice(0, -1))}
        onNext={(cursor) => setCursors((stack) => [...stack, cursor])}
      />
    </>
  );
}

/** One view: its filters and its list. */
function QueueBody({
  view,
  filters,
  order,
  update,
}: {
  view: View;
  filters: Filters;
  order: Order;
  update(changes: Record<string, string>): void;
}) {
  return (
    <Stack gap="sm">
      <QueueFilters
        filters={filters}
        order={order}
        onChange={(next) =>
          update({
            category: next.category,
            country: next.jurisdiction,
            state: next.state,
            q: next.q,
          })
        }
        onOrder={(next) => update({ order: next === 'filed' ? 'filed' : '' })}
      />
      {/* A new filter or order starts again at the first page: the key drops the cursors. */}
      <CaseList
        key={JSON.stringify([filters, order])}
        view={view}
        filters={filters}
        order={order}
      />
    </Stack>
  );
}

function ViewTabList({ counts }: { counts: Schemas['QueueCounts'] | undefined }) {
  const { t, fmt } = useI18n();
  return (
    <Tabs.List aria-label={t('queue.views')}>
      {VIEWS.map((value) => (
        <Tabs.Tab
          key={value}
          value={value}
          rightSection={
            <Badge variant="light" color="dark" size="sm">
              {counts ? fmt.number(counts.queues[value]) : '…'}
              <VisuallyHidden> {t('queue.casesWord')}</VisuallyHidden>
            </Badge>
          }
        >
          {t(VIEW_LABEL[value])}
        </Tabs.Tab>
      ))}
    </Tabs.List>
  );
}

export function Queue() {
  const { t, fmt } = useI18n();
  const [params, setParams] = useSearchParams();
  const view: View = isView(params.get('view')) ? (params.get('view') as View) : 'triage';
  const filters: Filters = {
    category: params.get('category') ?? '',
    jurisdiction: params.get('country') ?? '',
    state: params.get('state') ?? '',
    q: params.get('q') ?? '',
  };
  const order: Order = params.get('order') === 'filed' ? 'filed' : 'due';
  const counts = useCounts();

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="end">
        <Title order={1}>{t('queue.title')}</Title>
        {counts.data && (
          <Text c="dimmed" size="sm">
            {t('queue.openTotal', { open: fmt.number(counts.data.open) })}
          </Text>
        )}
      </Group>
      <ProblemAlert error={counts.error} />
      <Tabs
        value={view}
        onChange={(value) => value && update({ view: value === 'triage' ? '' : value })}
        keepMounted={false}
      >
        <ViewTabList counts={counts.data} />
        {VIEWS.map((value) => (
          <Tabs.Panel key={value} value={value} pt="md">
            {value === view && (
              <QueueBody view={view} filters={filters} order={order} update={update} />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
      <SolvedPanel />
    </Stack>
  );
}
