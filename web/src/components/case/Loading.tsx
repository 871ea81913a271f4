import { Group, Loader, Text } from '@mantine/core';
import { useI18n } from '../../i18n';

/** A spinner that says what it is, announced politely. */
export function Loading() {
  const { t } = useI18n();
  return (
    <Group gap="xs" role="status">
      <Loader size="sm" aria-hidden />
      <Text size="sm">{t('common.loading')}</Text>
    </Group>
  );
}
