import { Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { ROLES, type Account, type Role } from './shared';
import { UserDialog, type UserAction } from './UserDialog';
import { UserForm } from './UserForm';

const PAGE = 50;

function useAccounts(role: Role | '') {
  return useInfiniteQuery({
    queryKey: ['users', role],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              limit: PAGE,
              ...(role ? { role } : {}),
              ...(pageParam ? { after: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function AccountRow({
  account,
  self,
  onAction,
}: {
  account: Account;
  self: boolean;
  onAction(action: UserAction): void;
}) {
  const { t, fmt } = useI18n();
  return (
    <Table.Tr>
      <Table.Td>{account.name}</Table.Td>
      <Table.Td>{account.email}</Table.Td>
      <Table.Td>{t(`users.role.${account.role}`)}</Table.Td>
      <Table.Td>{t(`lang.${account.locale}`)}</Table.Td>
      <Table.Td>
        <Text
          size="sm"
          fw={account.disabled ? 700 : 400}
          c={account.disabled ? 'red.9' : undefined}
        >
          {account.disabled ? t('users.disabled') : t('users.active')}
        </Text>
      </Table.Td>
      <Table.Td>{fmt.date(account.createdAt)}</Table.Td>
      <Table.Td>
        {self ? (
          <Text size="sm">{t('users.you')}</Text>
        ) : (
          <Group gap="xs" wrap="nowrap">
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => onAction({ kind: 'role', user: account })}
            >
              {t('users.changeRole')}
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              onClick={() =>
                onAction({ kind: account.disabled ? 'enable' : 'disable', user: account })
              }
            >
              {account.disabled ? t('users.enable') : t('users.disable')}
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AccountList({ onAction }: { onAction(action: UserAction): void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [role, setRole] = useState<Role | ''>('');
  const query = useAccounts(role);
  const accounts = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack gap="sm">
      <Title order={2} id="accounts">
        {t('users.listTitle')}
      </Title>
      <Group>
        <NativeSelect
          id="users-role-filter"
          label={t('users.filter.role')}
          value={role}
          onChange={(event) => setRole(event.currentTarget.value as Role | '')}
          data={[
            { value: '', label: t('common.all') },
            ...ROLES.map((code) => ({ value: code, label: t(`users.role.${code}`) })),
          ]}
        />
      </Group>
      <ProblemAlert error={query.error} />
      {query.isPending && <Text role="status">{t('common.loading')}</Text>}
      {query.isSuccess && accounts.length === 0 && <Text>{t('users.none')}</Text>}
      {accounts.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-labelledby="accounts" striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.col.name')}</Table.Th>
                <Table.Th>{t('users.col.email')}</Table.Th>
                <Table.Th>{t('users.col.role')}</Table.Th>
                <Table.Th>{t('users.col.language')}</Table.Th>
                <Table.Th>{t('users.col.status')}</Table.Th>
                <Table.Th>{t('users.col.created')}</Table.Th>
                <Table.Th>{t('users.col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.map((account) => (
                <AccountRow
                  key={account.id}
                  account={account}
                  self={account.id === user?.id}
                  onAction={onAction}
                />
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
            {t('users.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function Users() {
  const { t } = useI18n();
  const [action, setAction] = useState<UserAction | null>(null);
  const [done, setDone] = useState('');
  return (
    <Stack gap="xl">
      <Title order={1}>{t('users.title')}</Title>
      <Text role="status" fw={700}>
        {done}
      </Text>
      <AccountList
        onAction={(next) => {
          setDone('');
          setAction(next);
        }}
      />
      <UserForm />
      {action && (
        <UserDialog
          action={action}
          onClose={() => setAction(null)}
          onDone={(message) => {
            setAction(null);
            setDone(message);
          }}
        />
      )}
    </Stack>
  );
}
