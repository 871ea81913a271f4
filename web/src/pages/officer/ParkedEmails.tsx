import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { useOfficers } from './shared';

type Notification = Schemas['Notification'];

function Recipient({ id }: { id: string }) {
  const { t } = useI18n();
  const officers = useOfficers();
  const officer = officers.data?.find((candidate) => candidate.id === id);
  return (
    <Text size="sm">
      {officer ? t('parked.officer', { name: officer.name }) : t('parked.complainant')}
      <Text span size="xs" c="dimmed" display="block" translate="no">
        {id}
      </Text>
    </Text>
  );
}

function Row({ item, onRetried }: { item: Notification; onRetried(message: string): void }) {
  const { t, tDynamic, fmt } = useI18n();
  const templateName = (code: string) => {
    const key = `parked.template.${code}`;
    const words = tDynamic(key);
    return words === key ? code : words;
  };
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);

  async function retry() {
    setBusy(true);
    setFailure(null);
    try {
      await unwrap(
        api.POST('/api/v1/notifications/{id}/retry', { params: { path: { id: item.id } } }),
      );
      onRetried(t('parked.retried', { reference: item.caseReference ?? item.caseId ?? item.id }));
      await queryClient.invalidateQueries({ queryKey: ['notifications'] });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Table.Tr>
      <Table.Td>
        <Recipient id={item.recipientId} />
      </Table.Td>
      <Table.Td>{templateName(item.template)}</Table.Td>
      <Table.Td>
        {item.caseId ? (
          <Anchor component={Link} to={`/cases/${item.caseId}`}>
            {item.caseReference ?? item.caseId}
          </Anchor>
        ) : (
          t('parked.noCase')
        )}
      </Table.Td>
      <Table.Td>{fmt.number(item.attempts)}</Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere', maxWidth: 320 }}>
        {item.lastError ?? t('common.none')}
      </Table.Td>
      <Table.Td>{item.parkedAt ? fmt.dateTime(item.parkedAt) : '—'}</Table.Td>
      <Table.Td>
        <Button
          size="xs"
          onClick={() => void retry()}
          loading={busy}
          aria-label={t('parked.retryFor', {
            reference: item.caseReference ?? item.caseId ?? item.id,
          })}
        >
          {t('parked.retry')}
        </Button>
        <ProblemAlert error={failure} />
      </Table.Td>
    </Table.Tr>
  );
}

/** Emails the dispatcher gave up on, each with the reason and a way to send it again. */
export function ParkedEmails() {
  const { t } = useI18n();
  const [cursors, setCursors] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const cursor = cursors.at(-1);
  const query = { status: 'parked' as const, limit: 50, ...(cursor ? { cursor } : {}) };
  const page = useQuery({
    queryKey: ['notifications', query],
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query } })),
    refetchInterval: 30_000,
  });
  const items = page.data?.items ?? [];

  return (
    <Stack gap="md">
      <Title order={1}>{t('parked.title')}</Title>
      <Text>{t('parked.intro')}</Text>
      <Text role="status">{message}</Text>
      <ProblemAlert error={page.error} />
      {page.isPending ? (
        <Text>{t('common.loading')}</Text>
      ) : items.length === 0 ? (
        <Text>{t('parked.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('parked.col.recipient')}</Table.Th>
                <Table.Th scope="col">{t('parked.col.kind')}</Table.Th>
                <Table.Th scope="col">{t('parked.col.case')}</Table.Th>
                <Table.Th scope="col">{t('parked.col.attempts')}</Table.Th>
                <Table.Th scope="col">{t('parked.col.error')}</Table.Th>
                <Table.Th scope="col">{t('parked.col.parkedAt')}</Table.Th>
                <Table.Th scope="col">{t('parked.col.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Row key={item.id} item={item} onRetried={setMessage} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Button
          variant="default"
          disabled={cursors.length === 0}
          onClick={() => setCursors((stack) => stack.slice(0, -1))}
        >
          {t('common.previous')}
        </Button>
        <Button
          variant="default"
          disabled={!page.data?.nextCursor}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors((stack) => [...stack, next]);
          }}
        >
          {t('queue.nextPage')}
        </Button>
      </Group>
    </Stack>
  );
}
