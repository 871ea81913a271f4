import { Alert, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { Digest } from './ExportList';
import { formatBytes, useExportRecords } from './shared';
import type { CaseFailure, VerifyReport } from './verify-core';

const SHOWN = 100;

function entryTypeLabel(type: string | null, tDynamic: (key: string) => string): string {
  if (!type) return '—';
  const key = `timeline.type.${type}`;
  const label = tDynamic(key);
  return label === key ? type : `${label} (${type})`;
}

function FailureTable({ failures }: { failures: CaseFailure[] }) {
  const { t, tDynamic, fmt } = useI18n();
  return (
    <Stack gap="xs">
      <Title order={2} id="broken-cases">
        {t('verify.brokenTitle')}
      </Title>
      <Table.ScrollContainer minWidth={800}>
        <Table aria-labelledby="broken-cases" striped verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('verify.col.reference')}</Table.Th>
              <Table.Th>{t('verify.col.line')}</Table.Th>
              <Table.Th>{t('verify.col.seq')}</Table.Th>
              <Table.Th>{t('verify.col.entryType')}</Table.Th>
              <Table.Th>{t('verify.col.problem')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {failures.slice(0, SHOWN).map((failure) => (
              <Table.Tr key={failure.line}>
                <Table.Td>
                  {failure.reference ? (
                    <Code style={{ whiteSpace: 'nowrap' }}>{failure.reference}</Code>
                  ) : (
                    t('verify.unnamed')
                  )}
                </Table.Td>
                <Table.Td>{fmt.number(failure.line)}</Table.Td>
                <Table.Td>{failure.seq === null ? '—' : fmt.number(failure.seq)}</Table.Td>
                <Table.Td>{entryTypeLabel(failure.entryType, tDynamic)}</Table.Td>
                <Table.Td>{t(`verify.problem.${failure.code}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {failures.length > SHOWN && (
        <Text>{t('verify.more', { count: fmt.number(failures.length - SHOWN) })}</Text>
      )}
    </Stack>
  );
}

/** Whether a past export has this digest; only compliance may read the audit trail. */
function ExportMatch({ sha256 }: { sha256: string }) {
  const { t, fmt } = useI18n();
  const { user } = useSession();
  const allowed = user?.role === 'compliance';
  const records = useExportRecords({ enabled: allowed, limit: 200 });
  if (!allowed) return <Text>{t('verify.compareHint')}</Text>;
  if (!records.data) return null;
  const match = records.data.pages[0]?.items.find((record) => record.sha256 === sha256);
  if (!match) return <Text fw={700}>{t('verify.noMatch')}</Text>;
  return (
    <Text fw={700} c="teal.9">
      {t('verify.matches', {
        time: fmt.dateTime(match.startedAt),
        who: match.by.email ?? match.by.id,
        cases: fmt.number(match.cases),
        format: t(`exports.formatShort.${match.format}`),
      })}
    </Text>
  );
}

export function VerifyResult({ name, report }: { name: string; report: VerifyReport }) {
  const { t, fmt, lang } = useI18n();
  const ok = report.failures.length === 0 && report.cases > 0;
  const summary = t('verify.summary', {
    verified: fmt.number(report.verified),
    cases: fmt.number(report.cases),
  });
  return (
    <Stack gap="md">
      <Alert color={ok ? 'teal.9' : 'red.9'} variant="outline" title={summary}>
        {report.cases === 0
          ? t('verify.noCases')
          : ok
            ? t('verify.ok')
            : t('verify.failed', {
                failed: fmt.number(report.failures.length),
                cases: fmt.number(report.cases),
              })}
      </Alert>
      <Text size="sm">
        {t('verify.stats', {
          name,
          entries: fmt.number(report.entries),
          size: formatBytes(report.bytes, lang),
        })}
      </Text>
      <Stack gap={4}>
        <Text fw={700} id="file-sha256">
          {t('verify.sha256')}
        </Text>
        <Digest value={report.sha256} />
        <ExportMatch sha256={report.sha256} />
      </Stack>
      {report.failures.length > 0 && <FailureTable failures={report.failures} />}
    </Stack>
  );
}
