import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import type { User } from '../../api/client';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import type { OnBehalf } from '../complainant/filing/context';
import { GuidedFiling } from '../complainant/filing/GuidedFiling';
import { FindComplainant, type OfficerChannel } from './FindComplainant';
import { useState } from 'react';

const BASE = '/file-on-behalf';
// Whom the officer is filing for survives a reload, like the draft itself, but not the tab.
const STORAGE_KEY = 'redress.onBehalf';

function stored(): OnBehalf | null {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as OnBehalf | null;
  } catch {
    return null;
  }
}

function Find() {
  const navigate = useNavigate();
  const [channel, setChannel] = useState<OfficerChannel>(stored()?.channel ?? 'phone');
  function chosen(user: User) {
    const onBehalf: OnBehalf = {
      complainantId: user.id,
      name: user.name,
      email: user.email,
      locale: user.locale,
      channel,
    };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(onBehalf));
    navigate(`${BASE}/for/category`);
  }
  return <FindComplainant channel={channel} onChannel={setChannel} onChosen={chosen} />;
}

/** The complainant's own guided steps, for the person the officer found or opened an account for. */
function Filing() {
  const { t } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const onBehalf = stored();
  if (!onBehalf || !user) return <Navigate to={BASE} replace />;
  return (
    <>
      <Paper withBorder p="sm" maw={720}>
        <Group justify="space-between">
          <Text role="status">
            {t('onbehalf.filingFor', {
              name: onBehalf.name,
              email: onBehalf.email,
              channel: t(`channel.${onBehalf.channel}`),
            })}
          </Text>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              sessionStorage.removeItem(STORAGE_KEY);
              navigate(BASE);
            }}
          >
            {t('onbehalf.change')}
          </Button>
        </Group>
      </Paper>
      <GuidedFiling
        basePath={`${BASE}/for`}
        draftKey={`${user.id}:${onBehalf.complainantId}`}
        onBehalf={onBehalf}
      />
    </>
  );
}

/** A complaint for someone who phoned or wrote: find or open their account, then file. */
export function FileOnBehalf() {
  const { t } = useI18n();
  return (
    <Stack gap="md">
      <Routes>
        <Route
          index
          element={
            <>
              <Title order={1}>{t('onbehalf.title')}</Title>
              <Text>{t('onbehalf.intro')}</Text>
              <Find />
            </>
          }
        />
        <Route path="for/*" element={<Filing />} />
        <Route path="*" element={<Navigate to={BASE} replace />} />
      </Routes>
    </Stack>
  );
}
