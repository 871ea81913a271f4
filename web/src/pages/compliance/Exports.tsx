import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { ExportForm } from './ExportForm';
import { ExportList } from './ExportList';

/** How long to keep asking for the new export's record after a download starts. */
const POLL_MS = 30_000;

export function Exports() {
  const { t } = useI18n();
  const { user } = useSession();
  // Counts downloads started: each one polls the list for a while until its record completes.
  const [started, setStarted] = useState(0);
  const [polling, setPolling] = useState(false);

  useEffect(() => {
    if (started === 0) return;
    const timer = setTimeout(() => setPolling(false), POLL_MS);
    return () => clearTimeout(timer);
  }, [started]);

  // The server lets only compliance export or read the audit trail; an admin would get 403s.
  if (user?.role !== 'compliance') {
    return (
      <Stack>
        <Title order={1}>{t('exports.title')}</Title>
        <Alert color="blue" variant="outline">
          {t('exports.complianceOnly')}{' '}
          <Anchor component={Link} to="/verify">
            {t('exports.verifyLink')}
          </Anchor>
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={1}>{t('exports.title')}</Title>
        <Text maw={800}>{t('exports.intro')}</Text>
        <Anchor component={Link} to="/verify">
          {t('exports.verifyLink')}
        </Anchor>
      </Stack>
      <ExportForm
        onStarted={() => {
          setPolling(true);
          setStarted((n) => n + 1);
        }}
      />
      <ExportList poll={polling} />
    </Stack>
  );
}
