import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { User } from '../../api/client';
import { useI18n } from '../../i18n';
import { FindComplainant, type OfficerChannel } from './FindComplainant';
import { OnBehalfForm } from './OnBehalfForm';

/** A complaint for someone who phoned or wrote: find or create their account, then file. */
export function FileOnBehalf() {
  const { t } = useI18n();
  const [channel, setChannel] = useState<OfficerChannel>('phone');
  const [complainant, setComplainant] = useState<User | null>(null);

  return (
    <Stack gap="md">
      <Title order={1}>{t('onbehalf.title')}</Title>
      <Text>{complainant ? t('onbehalf.introForm') : t('onbehalf.intro')}</Text>
      {complainant ? (
        <>
          <Paper withBorder p="sm" maw={720}>
            <Group justify="space-between">
              <Text role="status">
                {t('onbehalf.filingFor', {
                  name: complainant.name,
                  email: complainant.email,
                  channel: t(`channel.${channel}`),
                })}
              </Text>
              <Button variant="default" size="xs" onClick={() => setComplainant(null)}>
                {t('onbehalf.change')}
              </Button>
            </Group>
          </Paper>
          <OnBehalfForm complainant={complainant} channel={channel} />
        </>
      ) : (
        <FindComplainant channel={channel} onChannel={setChannel} onChosen={setComplainant} />
      )}
    </Stack>
  );
}
