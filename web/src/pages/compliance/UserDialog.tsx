import { Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { ROLES, type Account, type Role } from './shared';

export type UserAction = { kind: 'role' | 'disable' | 'enable'; user: Account };

const WORDS = {
  role: {
    title: 'users.changeRoleTitle',
    note: 'users.changeRoleNote',
    button: 'users.changeRole',
  },
  disable: { title: 'users.disableTitle', note: 'users.disableNote', button: 'users.disable' },
  enable: { title: 'users.enableTitle', note: 'users.enableNote', button: 'users.enable' },
} as const;

/**
 * Confirms one change to an account. The server ends every session of the account on any
 * change, so the dialog says so before, and the page says so after.
 */
export function UserDialog({
  action,
  onClose,
  onDone,
}: {
  action: UserAction;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const { kind, user } = action;
  const [role, setRole] = useState<Role>(ROLES.find((other) => other !== user.role) ?? user.role);
  const words = WORDS[kind];
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: kind === 'role' ? { role } : { disabled: kind === 'disable' },
        }),
      ),
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      const name = updated.name;
      onDone(
        kind === 'role'
          ? t('users.roleChanged', { name, role: t(`users.role.${updated.role}`) })
          : t(kind === 'disable' ? 'users.disabledDone' : 'users.enabledDone', { name }),
      );
    },
  });

  return (
    <Modal
      opened
      onClose={onClose}
      title={t(words.title, { name: user.name })}
      centered
      // Cancel is the way out (and Escape): no unlabelled × button.
      withCloseButton={false}
      // Its scroll lock injects a <style> without the CSP nonce, which the browser refuses.
      lockScroll={false}
    >
      <Stack gap="md">
        <ProblemAlert error={change.error} />
        <Text size="sm" c="dimmed">
          {user.email}
        </Text>
        {kind === 'role' && (
          <NativeSelect
            id="user-new-role"
            label={t('users.newRole')}
            value={role}
            onChange={(event) => setRole(event.currentTarget.value as Role)}
            data={ROLES.filter((other) => other !== user.role).map((other) => ({
              value: other,
              label: t(`users.role.${other}`),
            }))}
          />
        )}
        <Text>{t(words.note)}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={kind === 'disable' ? 'red.9' : undefined}
            loading={change.isPending}
            onClick={() => change.mutate()}
          >
            {t(words.button)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
