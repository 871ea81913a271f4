import { Anchor, Box, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../../i18n';
import { countryName, fromMinor, useOfficers, type CaseView } from './shared';

function Fact({
  label,
  children,
  wide,
}: {
  label: MessageKey;
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Box style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <Text component="dt" size="sm" fw={700}>
        {t(label)}
      </Text>
      <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Box>
  );
}

/** Who the case is for: name and email, so the officer knows whom to call or write to. */
function Complainant({ id }: { id: string }) {
  const person = useQuery({
    queryKey: ['complainant', id],
    queryFn: () => unwrap(api.GET('/api/v1/complainants/{id}', { params: { path: { id } } })),
    staleTime: 300_000,
  });
  if (!person.data) return <span translate="no">{id}</span>;
  return (
    <>
      {person.data.name} ·{' '}
      <Anchor href={`mailto:${person.data.email}`} translate="no">
        {person.data.email}
      </Anchor>
    </>
  );
}

function useLabels() {
  const { t, tDynamic } = useI18n();
  const officers = useOfficers();
  return {
    officer(id: string | null): string {
      if (!id) return t('queue.unassigned');
      return officers.data?.find((officer) => officer.id === id)?.name ?? id;
    },
    code(prefix: string, value: string | null): string {
      return value ? tDynamic(`${prefix}.${value}`) : t('common.none');
    },
  };
}

/** How far the case got: the platform's response, and the body's or court's outcome. */
function OutcomeFacts({ item }: { item: CaseView }) {
  const { t } = useI18n();
  const labels = useLabels();
  return (
    <>
      <Fact label="workspace.response">
        {labels.code('responseOutcome', item.outcome.response)}
      </Fact>
      <Fact label="workspace.holdingResponse">
        {item.outcome.holdingResponse ? t('common.yes') : t('common.no')}
      </Fact>
      <Fact label="workspace.bodyReference">{item.outcome.bodyReference ?? t('common.none')}</Fact>
      <Fact label="workspace.bodyDecision">
        {labels.code('bodyDecision', item.outcome.bodyDecision)}
      </Fact>
      <Fact label="workspace.legalOutcome">
        {labels.code('legalOutcome', item.outcome.legalOutcome)}
      </Fact>
    </>
  );
}

/** Every fact of the case, as a description list. */
export function CaseFacts({ item }: { item: CaseView }) {
  const { t, tDynamic, fmt, lang } = useI18n();
  const labels = useLabels();
  const { amount } = item.transaction;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="facts-title">
      <Title order={2} size="h3" id="facts-title" mb="sm">
        {t('workspace.facts')}
      </Title>
      <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="sm" m={0}>
        <Fact label="workspace.category">{tDynamic(`category.${item.category}`)}</Fact>
        <Fact label="workspace.urgent">{item.urgent ? t('common.yes') : t('common.no')}</Fact>
        <Fact label="workspace.jurisdiction">
          {countryName(item.jurisdiction, lang)} ({item.jurisdiction})
        </Fact>
        <Fact label="workspace.channel">{tDynamic(`channel.${item.channel}`)}</Fact>
        <Fact label="workspace.respondent">
          {item.respondent.name} · {tDynamic(`respondentKind.${item.respondent.kind}`)}
        </Fact>
        <Fact label="details.address">{item.respondent.address ?? t('common.none')}</Fact>
        <Fact label="details.number">{item.respondent.registrationNumber ?? t('common.none')}</Fact>
        <Fact label="workspace.amount">
          {fmt.money(fromMinor(amount.amountMinor, amount.currency), amount.currency)}
        </Fact>
        <Fact label="workspace.transactionDate">{fmt.date(item.transaction.occurredAt)}</Fact>
        <Fact label="workspace.transactionReference">
          {item.transaction.reference ?? t('common.none')}
        </Fact>
        <Fact label="workspace.narrative" wide>
          {item.narrative}
        </Fact>
        <Fact label="workspace.desiredOutcome" wide>
          {item.desiredOutcome}
        </Fact>
        <Fact label="workspace.owner">
          <Complainant id={item.ownerId} />
        </Fact>
        <Fact label="workspace.assignee">{labels.officer(item.assigneeId)}</Fact>
        <Fact label="workspace.locale">{t(`lang.${item.locale}`)}</Fact>
        <Fact label="workspace.consumerBody">{item.consumerBody ?? t('common.none')}</Fact>
        <OutcomeFacts item={item} />
        <Fact label="workspace.evidenceCount">{fmt.number(item.evidenceCount)}</Fact>
        <Fact label="workspace.filed">{fmt.dateTime(item.filedAt)}</Fact>
        <Fact label="workspace.updated">{fmt.dateTime(item.updatedAt)}</Fact>
      </SimpleGrid>
    </Paper>
  );
}
