import { Badge, DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import type { Schemas } from '../../api/client';
import { useI18n, type I18n } from '../../i18n';
import { bodyName } from './bodies';

type TimelinessData = Schemas['Timeliness'];
type ClockStanding = Schemas['ClockStanding'];
type BodyClock = Schemas['BodyClockStanding'];

// Filled dark shades: white text on them passes the contrast check (as the urgent badge does).
const VERDICT_COLOUR = { true: 'teal.9', false: 'red.9', null: 'gray.8' } as const;

function standingText(i18n: I18n, standing: ClockStanding | null): string {
  const { t, tDynamic, fmt } = i18n;
  if (!standing) return t('timeliness.notStarted');
  const status = tDynamic(`clockStatus.${standing.status}`);
  return standing.dueAt
    ? t('timeliness.due', { status, due: fmt.dateTime(standing.dueAt) })
    : status;
}

function bodyClockText(i18n: I18n, clock: BodyClock): string {
  const { t, tDynamic, fmt } = i18n;
  const values = {
    length: fmt.number(clock.duration.amount),
    unit: tDynamic(`unit.${clock.duration.unit}`),
    status: tDynamic(`clockStatus.${clock.status}`),
  };
  if (!clock.dueAt) return t('timeliness.clock', values);
  if (clock.projected) {
    return `${t('timeliness.clock', values)} (${t('timeliness.projected', { due: fmt.date(clock.dueAt) })})`;
  }
  return t('timeliness.clockDue', { ...values, due: fmt.date(clock.dueAt) });
}

/**
 * Whether the platform acknowledged and answered in time (the CFPB's "timely response") and
 * how the consumer body's own clocks stand, from the case view's `timeliness`. Renders nothing
 * for a case read without it.
 */
export function Timeliness({
  view,
}: {
  view: { timeliness?: TimelinessData; consumerBody: string | null };
}) {
  const i18n = useI18n();
  const { t, tDynamic, lang } = i18n;
  const titleId = useId();
  const timeliness = view.timeliness;
  if (!timeliness) return null;
  const verdict = String(timeliness.timely) as keyof typeof VERDICT_COLOUR;
  const regions = new Intl.DisplayNames([lang], { type: 'region' });
  const body = timeliness.consumerBody
    ? bodyName(tDynamic, timeliness.consumerBody, (code) => regions.of(code) ?? code)
    : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={titleId}>
          {t('timeliness.title')}
        </Title>
        <Group gap="xs">
          <Text fw={600}>{t('timeliness.timely')}</Text>
          <Badge color={VERDICT_COLOUR[verdict]} variant="filled" tt="none" radius="sm">
            {tDynamic(`timeliness.timely.${verdict}`)}
          </Badge>
        </Group>
        <DataList size="sm" orientation="vertical" gap={4}>
          <DataList.Item>
            <DataList.ItemLabel fw={600}>{t('timeliness.acknowledged')}</DataList.ItemLabel>
            <DataList.ItemValue>{standingText(i18n, timeliness.acknowledged)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel fw={600}>{t('timeliness.answered')}</DataList.ItemLabel>
            <DataList.ItemValue>{standingText(i18n, timeliness.answered)}</DataList.ItemValue>
          </DataList.Item>
        </DataList>
        {body && (
          <>
            <Title order={3} size="h4">
              {t('timeliness.body', { body })}
            </Title>
            {timeliness.bodyClocks.length === 0 ? (
              <Text size="sm">{t('timeliness.bodyNone')}</Text>
            ) : (
              <DataList size="sm" orientation="vertical" gap={4}>
                {timeliness.bodyClocks.map((clock) => (
                  <DataList.Item key={clock.key}>
                    <DataList.ItemLabel fw={600}>
                      {tDynamic(`bodyClock.${clock.key}`)}
                    </DataList.ItemLabel>
                    <DataList.ItemValue>{bodyClockText(i18n, clock)}</DataList.ItemValue>
                  </DataList.Item>
                ))}
              </DataList>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
