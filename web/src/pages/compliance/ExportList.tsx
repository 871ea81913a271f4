import { Button, Code, CopyButton, Group, Stack, Table, Text, Title } from '@mantine/core';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { describeFilters, formatBytes, useExportRecords, type ExportRecord } from './shared';

const STATUS_COLOUR: Record<ExportRecord['status'], string> = {
  running: 'blue.9',
  completed: 'dark.9',
  aborted: 'red.9',
};

/** A digest to read aloud or paste: monospace, wrapping anywhere, with a copy button. */
export function Digest({ value }: { value: string }) {
  const { t } = useI18n();
  return (
    <Group gap="xs" wrap="nowrap" align="start">
      <Code style={{ wordBreak: 'break-all' }} data-testid="sha256">
        {value}
      </Code>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Button size="compact-xs" variant="default" onClick={copy}>
            {copied ? t('exports.copied') : t('exports.copy')}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

function ExportRow({ record }: { record: ExportRecord }) {
  const i18n = useI18n();
  const { t, tDynamic, fmt, lang } = i18n;
  return (
    <Table.Tr>
      <Table.Td>{fmt.dateTime(record.startedAt)}</Table.Td>
      <Table.Td>
        <Text size="sm">{record.by.email ?? record.by.id}</Text>
        <Text size="xs" c="dimmed">
          {tDynamic(`users.role.${record.by.role}`)} ·{' '}
          {t(record.via === 'cli' ? 'exports.via.cli' : 'exports.via.api')}
        </Text>
      </Table.Td>
      <Table.Td>{describeFilters(record.filters, i18n)}</Table.Td>
      <Table.Td>{t(`exports.formatShort.${record.format}`)}</Table.Td>
      <Table.Td>{fmt.number(record.cases)}</Table.Td>
      <Table.Td>{formatBytes(record.bytes, lang)}</Table.Td>
      <Table.Td>
        <Text size="sm" fw={700} c={STATUS_COLOUR[record.status]}>
          {t(`exports.status.${record.status}`)}
        </Text>
        {record.error && (
          <Text size="xs" c="red.9">
            {record.error}
          </Text>
        )}
      </Table.Td>
      <Table.Td miw={280}>{record.sha256 ? <Digest value={record.sha256} /> : '—'}</Table.Td>
    </Table.Tr>
  );
}

export function ExportList({ poll }: { poll: boolean }) {
  const { t } = useI18n();
  const query = useExportRecords({ poll });
  const records = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      <Title order={2} id="past-exports">
        {t('exports.past')}
      </Title>
      <ProblemAlert error={query.error} />
      {query.isPending && <Text role="status">{t('common.loading')}</Text>}
      {query.isSuccess && records.length === 0 && <Text>{t('exports.none')}</Text>}
      {records.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table aria-labelledby="past-exports" verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('exports.col.time')}</Table.Th>
                <Table.Th>{t('exports.col.by')}</Table.Th>
                <Table.Th>{t('exports.col.filters')}</Table.Th>
                <Table.Th>{t('exports.col.format')}</Table.Th>
                <Table.Th>{t('exports.col.cases')}</Table.Th>
                <Table.Th>{t('exports.col.size')}</Table.Th>
                <Table.Th>{t('exports.col.status')}</Table.Th>
                <Table.Th>{t('exports.col.sha256')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {records.map((record) => (
                <ExportRow key={record.id} record={record} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {query.hasNextPage && (
        <Group>
          <Button
            variant="default"
            loading={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {t('exports.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
