import { Alert, Badge, Box, DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useI18n, type I18n } from '../../i18n';
import { useSession } from '../../session';
import { ProblemAlert } from '../ProblemAlert';
import { toMajor } from './money';
import { stateWords } from './StateBadge';
import { useTimeline, type TimelineEntry } from './queries';
import { Loading } from './Loading';

// The payload fields worth reading, in the order they are shown. Ids (officerId) are left out.
const TEXT_FIELDS = [
  'question',
  'answer',
  'message',
  'remedy',
  'reason',
  'note',
  'text',
  'externalReference',
  'reference',
] as const;

function valueOf(entry: TimelineEntry, field: string, i18n: I18n): string | null {
  const { tDynamic, fmt } = i18n;
  const value = entry.data[field];
  if (value === undefined || value === null || value === '') return null;
  switch (field) {
    case 'outcome':
      return tDynamic(
        entry.type === 'RECORD_LEGAL_OUTCOME'
          ? `legalOutcome.${value}`
          : `responseOutcome.${value}`,
      );
    case 'decision':
      return tDynamic(`bodyDecision.${String(value)}`);
    case 'deadline':
      return tDynamic(`deadline.${String(value)}`);
    case 'category':
      return tDynamic(`category.${String(value)}`);
    case 'channel':
      return tDynamic(`channel.${String(value)}`);
    case 'amount': {
      const money = value as { amountMinor: number; currency: string };
      return fmt.money(toMajor(money.amountMinor, money.currency), money.currency);
    }
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  }
}

/**
 * The company details an UPDATE_DETAILS completed, each by its name: the entry holds only what
 * was given, so these are the details that changed.
 */
function detailFields(entry: TimelineEntry): [string, string][] {
  const respondent = entry.data.respondent as Record<string, unknown> | undefined;
  if (!respondent || typeof respondent !== 'object') return [];
  return (['address', 'registrationNumber'] as const).flatMap((name): [string, string][] => {
    const value = respondent[name];
    return typeof value === 'string' && value ? [[`respondent.${name}`, value]] : [];
  });
}

function evidenceNames(entry: TimelineEntry, tDynamic: I18n['tDynamic']): string[] {
  const items = entry.data.items;
  if (!Array.isArray(items)) return [];
  return items.map((item: { name?: string; kind?: string }) =>
    `${item.name ?? ''} (${tDynamic(`evidenceKind.${item.kind ?? 'other'}`)})`.trim(),
  );
}

function Entry({ entry }: { entry: TimelineEntry }) {
  const i18n = useI18n();
  const { user } = useSession();
  const staff = user !== null && user.role !== 'complainant';
  const { t, tDynamic, fmt } = i18n;
  const fields: [string, string][] = [];
  for (const field of ['outcome', 'decision', 'deadline', 'category', 'amount', ...TEXT_FIELDS]) {
    const value = valueOf(entry, field, i18n);
    if (value !== null) fields.push([field, value]);
  }
  fields.push(...detailFields(entry));
  const evidence = evidenceNames(entry, tDynamic);
  if (evidence.length) fields.push(['items', evidence.join(', ')]);
  const moved = entry.fromState !== null && entry.fromState !== entry.toState;
  return (
    <Paper component="li" withBorder p="sm">
      <Stack gap={4}>
        <Text fw={700}>{tDynamic(`timeline.type.${entry.type}`)}</Text>
        <Text size="sm" c="dimmed">
          {t('timeline.byAt', {
            actor: tDynamic(`timeline.actor.${entry.actor.role}`),
            at: fmt.dateTime(entry.at),
          })}
        </Text>
        {moved && (
          <Text size="sm">
            {t('timeline.nowState', { state: stateWords(tDynamic, entry.toState, staff) })}
          </Text>
        )}
        {fields.length > 0 && (
          <DataList size="sm" orientation="vertical" gap={4} mt={4}>
            {fields.map(([field, value]) => (
              <DataList.Item key={field}>
                <DataList.ItemLabel fw={600}>
                  {tDynamic(`timeline.field.${field}`)}
                </DataList.ItemLabel>
                <DataList.ItemValue style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {value}
                </DataList.ItemValue>
              </DataList.Item>
            ))}
          </DataList>
        )}
      </Stack>
    </Paper>
  );
}

/** The hash-chain check, in words: a verified history, or where it was broken. */
export function IntegrityMark({ verified, brokenAt }: { verified: boolean; brokenAt?: number }) {
  const { t } = useI18n();
  if (verified)
    return (
      <Badge color="#1e7a34" variant="filled" tt="none" size="lg" radius="sm">
        ✓ {t('case.integrityVerified')}
      </Badge>
    );
  return (
    <Alert color="red" variant="outline" role="alert">
      <Text c="red.9" fw={700}>
        {t('case.integrityBroken', { seq: brokenAt ?? '?' })}
      </Text>
    </Alert>
  );
}

/**
 * A case's history, newest first, in plain words: who did what and when, the words that came
 * with it (a question, an answer, a response, a note), and whether the hash chain holds.
 */
export function Timeline({ caseId, headingOrder = 2 }: { caseId: string; headingOrder?: 2 | 3 }) {
  const { t } = useI18n();
  const timeline = useTimeline(caseId);
  const entries = [...(timeline.data?.entries ?? [])].reverse();
  return (
    <Box component="section" aria-labelledby={`timeline-${caseId}`}>
      <Group justify="space-between" align="center" mb="sm" wrap="wrap">
        <Title order={headingOrder} id={`timeline-${caseId}`}>
          {t('timeline.title')}
        </Title>
        {timeline.data && (
          <IntegrityMark verified={timeline.data.verified} brokenAt={timeline.data.brokenAt} />
        )}
      </Group>
      {timeline.isPending && <Loading />}
      <ProblemAlert error={timeline.error} />
      {timeline.data && (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            {t('timeline.newestFirst')}
          </Text>
          <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
            {entries.map((entry) => (
              <Entry key={entry.seq} entry={entry} />
            ))}
          </Stack>
        </>
      )}
    </Box>
  );
}
