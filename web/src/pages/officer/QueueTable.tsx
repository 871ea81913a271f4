import { Anchor, Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { StateBadge } from '../../components/case/StateBadge';
import { useI18n } from '../../i18n';
import { URGENCY_COLOUR, nextDue, urgencyOf, useOfficers, type CaseSummary } from './shared';

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

function DueCell({ item }: { item: CaseSummary }) {
  const { t, fmt } = useI18n();
  const due = nextDue(item.deadlines);
  if (!due) return <Text size="sm">{t('queue.noClock')}</Text>;
  const urgency = urgencyOf(due);
  return (
    <Text size="sm" c={URGENCY_COLOUR[urgency]} fw={urgency === 'later' ? 400 : 700}>
      {urgency === 'past' && `${t('case.overdue')}: `}
      {urgency === 'near' && `${t('queue.dueSoon')}: `}
      {fmt.relative(due)}
    </Text>
  );
}

function AssigneeCell({ id }: { id: string | null }) {
  const { t } = useI18n();
  const officers = useOfficers();
  if (!id) return <Text size="sm">{t('queue.unassigned')}</Text>;
  const officer = officers.data?.find((candidate) => candidate.id === id);
  return <Text size="sm">{officer?.name ?? t('queue.someoneElse')}</Text>;
}

/**
 * The rows are links (Tab reaches each); j/k or the arrow keys move a highlight and Enter
 * opens the highlighted case, announced through a live region.
 */
function useRowKeys(rows: readonly CaseSummary[]) {
  const navigate = useNavigate();
  // The highlighted case by id, so a refresh that reorders or drops rows cannot misplace it.
  const [activeId, setActiveId] = useState<string | null>(null);
  const active = rows.findIndex((row) => row.id === activeId);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  const setActive = (index: number) => setActiveId(rows[index]?.id ?? null);

  function move(step: number) {
    if (rows.length === 0) return;
    const next = Math.min(rows.length - 1, Math.max(0, active + step));
    setActive(next);
    links.current[next]?.focus();
  }

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (target && (TYPING.has(target.tagName) || target.isContentEditable)) return;
      if (target?.getAttribute('role') === 'tab') return;
      if (event.key === 'j' || event.key === 'ArrowDown') move(1);
      else if (event.key === 'k' || event.key === 'ArrowUp') move(-1);
      else return;
      event.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  function onEnter(event: ReactKeyboardEvent) {
    const row = rows[active];
    if (event.key === 'Enter' && row && document.activeElement !== links.current[active]) {
      event.preventDefault();
      navigate(`/cases/${row.id}`);
    }
  }
  return { active, setActive, links, onEnter };
}

const COLUMNS = [
  'queue.col.reference',
  'queue.col.category',
  'queue.col.urgent',
  'queue.col.state',
  'queue.col.due',
  'queue.col.assignee',
  'queue.col.filed',
] as const;

function CaseRow({
  item,
  active,
  linkRef,
  onFocus,
}: {
  item: CaseSummary;
  active: boolean;
  linkRef(element: HTMLAnchorElement | null): void;
  onFocus(): void;
}) {
  const { t, tDynamic, fmt } = useI18n();
  return (
    <Table.Tr bg={active ? 'blue.0' : undefined} aria-current={active ? 'true' : undefined}>
      <Table.Td>
        <Anchor component={Link} to={`/cases/${item.id}`} ref={linkRef} onFocus={onFocus} fw={600}>
          {item.reference}
        </Anchor>
      </Table.Td>
      <Table.Td>{tDynamic(`category.${item.category}`)}</Table.Td>
      <Table.Td>
        {item.urgent && (
          <Badge color="red.9" variant="filled">
            {t('case.urgent')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <StateBadge state={item.state} />
      </Table.Td>
      <Table.Td>
        <DueCell item={item} />
      </Table.Td>
      <Table.Td>
        <AssigneeCell id={item.assigneeId} />
      </Table.Td>
      <Table.Td>{fmt.date(item.filedAt)}</Table.Td>
    </Table.Tr>
  );
}

export function QueueTable({ rows, loading }: { rows: CaseSummary[]; loading: boolean }) {
  const { t } = useI18n();
  const { active, setActive, links, onEnter } = useRowKeys(rows);
  const current = rows[active];

  if (loading && rows.length === 0)
    return (
      <Text role="status" c="dimmed">
        {t('common.loading')}
      </Text>
    );
  if (rows.length === 0) return <Text>{t('queue.empty')}</Text>;
  return (
    <>
      <Text size="sm" c="dimmed" id="queue-keys">
        {t('queue.keysHint')}
      </Text>
      <VisuallyHidden aria-live="polite">
        {current
          ? t('queue.rowAnnounce', {
              n: active + 1,
              total: rows.length,
              reference: current.reference,
            })
          : ''}
      </VisuallyHidden>
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover onKeyDown={onEnter} aria-describedby="queue-keys">
          <Table.Caption>{t('queue.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((key) => (
                <Table.Th key={key} scope="col">
                  {t(key)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((item, index) => (
              <CaseRow
                key={item.id}
                item={item}
                active={index === active}
                linkRef={(element) => {
                  links.current[index] = element;
                }}
                onFocus={() => setActive(index)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
