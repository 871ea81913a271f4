import { Paper, Table, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n';
import type { Schemas } from '../../api/client';
import { URGENCY_COLOUR, urgencyOf, type CaseView, type Deadline } from './shared';

type Duration = Schemas['Duration'];

function useDuration() {
  const { tDynamic, fmt } = useI18n();
  return (duration: Duration | null | undefined) => {
    if (!duration) return '—';
    const amount = Math.round(duration.amount * 10) / 10;
    const unit = amount === 1 ? `workspace.unitOne.${duration.unit}` : `unit.${duration.unit}`;
    return `${fmt.number(amount)} ${tDynamic(unit)}`;
  };
}

function TimeLeft({ deadline }: { deadline: Deadline }) {
  const { t, fmt } = useI18n();
  const duration = useDuration();
  if (deadline.status === 'paused') {
    return (
      <Text size="sm">{t('workspace.pausedLeft', { left: duration(deadline.remaining) })}</Text>
    );
  }
  if (deadline.status !== 'running' || !deadline.dueAt) {
    return <Text size="sm">{deadline.settledAt ? fmt.dateTime(deadline.settledAt) : '—'}</Text>;
  }
  const urgency = urgencyOf(deadline.dueAt);
  return (
    <Text size="sm" c={URGENCY_COLOUR[urgency]} fw={urgency === 'later' ? 400 : 700}>
      {urgency === 'past' && `${t('case.overdue')}: `}
      {urgency === 'near' && `${t('queue.dueSoon')}: `}
      {fmt.relative(deadline.dueAt)}
    </Text>
  );
}

/** Each clock with the unit it runs on (the server names it) and the time left. */
export function Deadlines({ item }: { item: CaseView }) {
  const { t, tDynamic, fmt } = useI18n();
  const duration = useDuration();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="deadlines-title">
      <Title order={2} size="h3" id="deadlines-title" mb="sm">
        {t('workspace.deadlines')}
      </Title>
      {item.deadlines.length === 0 ? (
        <Text>{t('workspace.noDeadlines')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('workspace.deadline')}</Table.Th>
                <Table.Th scope="col">{t('workspace.clock')}</Table.Th>
                <Table.Th scope="col">{t('workspace.deadlineStatus')}</Table.Th>
                <Table.Th scope="col">{t('workspace.due')}</Table.Th>
                <Table.Th scope="col">{t('workspace.timeLeft')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {item.deadlines.map((deadline) => (
                <Table.Tr key={`${deadline.kind}-${deadline.startedAt}`}>
                  <Table.Td>
                    {tDynamic(`deadline.${deadline.kind}`)}
                    {deadline.extended ? ` (${t('workspace.extended')})` : ''}
                  </Table.Td>
                  <Table.Td>{duration(deadline.clock)}</Table.Td>
                  <Table.Td>{tDynamic(`workspace.deadlineStatus.${deadline.status}`)}</Table.Td>
                  <Table.Td>{deadline.dueAt ? fmt.dateTime(deadline.dueAt) : '—'}</Table.Td>
                  <Table.Td>
                    <TimeLeft deadline={deadline} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
