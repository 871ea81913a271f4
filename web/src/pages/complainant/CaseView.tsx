import { Badge, DataList, Group, Stack, Text, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { bodyName } from '../../components/case/bodies';
import { EvidencePanel } from '../../components/case/EvidencePanel';
import { toMajor } from '../../components/case/money';
import { useCase, type CaseData } from '../../components/case/queries';
import { StateBadge } from '../../components/case/StateBadge';
import { Timeline } from '../../components/case/Timeline';
import { Timeliness } from '../../components/case/Timeliness';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { Actions } from './case/Actions';
import { countryName } from './filing/places';
import { NextDeadline } from './MyCases';
import { Loading } from '../../components/case/Loading';
import { usePageTitle } from '../../components/case/usePageTitle';

function Facts({ view }: { view: CaseData }) {
  const { t, tDynamic, fmt, lang } = useI18n();
  const { amount } = view.transaction;
  const rows: [string, string][] = [
    [t('file.company.name'), view.respondent.name],
    [t('file.company.kind'), tDynamic(`respondentKind.${view.respondent.kind}`)],
    [t('file.company.country'), countryName(lang, view.jurisdiction)],
    [t('file.transaction.date'), fmt.date(view.transaction.occurredAt)],
    [
      t('file.transaction.amount'),
      fmt.money(toMajor(amount.amountMinor, amount.currency), amount.currency),
    ],
    [t('file.transaction.reference'), view.transaction.reference ?? t('common.none')],
    [t('file.story.narrative'), view.narrative],
    [t('file.story.outcome'), view.desiredOutcome],
    [t('case.view.filedAt'), fmt.dateTime(view.filedAt)],
  ];
  if (view.consumerBody)
    rows.push([
      t('case.view.consumerBody'),
      bodyName(tDynamic, view.consumerBody, (code) => countryName(lang, code)),
    ]);
  return (
    <Stack gap="sm" component="section" aria-labelledby="facts-title">
      <Title order={2} id="facts-title">
        {t('case.view.factsTitle')}
      </Title>
      <DataList orientation="vertical" withDivider gap="xs">
        {rows.map(([label, value]) => (
          <DataList.Item key={label}>
            <DataList.ItemLabel fw={700}>{label}</DataList.ItemLabel>
            <DataList.ItemValue style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {value}
            </DataList.ItemValue>
          </DataList.Item>
        ))}
      </DataList>
    </Stack>
  );
}

const CLOSED = ['withdrawn', 'closed'];

export function ComplainantCase() {
  const { t, tDynamic } = useI18n();
  const { id = '' } = useParams();
  const found = useCase(id);
  usePageTitle(found.data?.reference);
  if (found.isPending) return <Loading />;
  if (found.error)
    return (
      <Stack>
        <Title order={1}>{t('case.view.unavailable')}</Title>
        <ProblemAlert error={found.error} />
      </Stack>
    );
  const view = found.data;
  const top = view.state.split('.')[0] ?? view.state;
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Text c="dimmed">{t('case.view.kicker')}</Text>
        <Title order={1}>{view.reference}</Title>
        <Text>{tDynamic(`category.${view.category}`)}</Text>
        <Group gap="xs">
          <StateBadge state={view.state} />
          {view.urgent && (
            <Badge color="red.9" variant="filled" tt="none" size="lg" radius="sm">
              {t('case.urgent')}
            </Badge>
          )}
        </Group>
        <NextDeadline deadlines={view.deadlines} />
      </Stack>
      <Actions view={view} />
      <Facts view={view} />
      <Timeliness view={view} />
      <EvidencePanel caseId={view.id} canUpload={!CLOSED.includes(top)} />
      <Timeline caseId={view.id} />
    </Stack>
  );
}
