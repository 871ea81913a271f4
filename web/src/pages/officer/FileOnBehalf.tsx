import { Box, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import type { User } from '../../api/client';
import { bodyFor, bodyName, bodyRequirements, useWorkflow } from '../../components/case/bodies';
import { ContactForm, useContact } from '../../components/case/ContactForm';
import { useI18n } from '../../i18n';
import { contactFactsLacking } from '../../../../workflows/contact-facts.ts';
import { useSession } from '../../session';
import type { OnBehalf } from '../complainant/filing/context';
import { loadDraft } from '../complainant/filing/draft';
import { GuidedFiling } from '../complainant/filing/GuidedFiling';
import { countryName } from '../complainant/filing/places';
import { FindComplainant, type OfficerChannel } from './FindComplainant';

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

/**
 * At the check-answers step, when the body for the chosen country needs contact details the
 * complainant's account lacks (12315: phone and postal address), the officer asks for them
 * while the caller is still there; saved on the account (PUT /complainants/:id/contact), as
 * the complainant's own confirmation page asks for them. The draft is read from storage: the
 * steps keep it there on every change, and this panel sits outside their context.
 */
function ContactStep({ onBehalf, draftKey }: { onBehalf: OnBehalf; draftKey: string }) {
  const { t, tDynamic, lang } = useI18n();
  const { pathname } = useLocation();
  const workflow = useWorkflow();
  const owner = { kind: 'complainant', id: onBehalf.complainantId } as const;
  const contact = useContact(owner);
  // Once asked, the form stays for this visit, so its "saved" confirmation can be read.
  const [saved, setSaved] = useState(false);
  if (!pathname.endsWith('/check-answers') || !workflow.data || !contact.data) return null;
  const draft = loadDraft(draftKey);
  const kind = draft.companyKind || 'platform';
  const body = draft.country ? bodyFor(workflow.data, draft.country, kind) : null;
  if (!body) return null;
  const needed = contactFactsLacking(
    bodyRequirements(workflow.data, draft.country, kind),
    contact.data,
  );
  if (needed.length === 0 && !saved) return null;
  const name = bodyName(tDynamic, body.code, (code) => countryName(lang, code), body.name);
  return (
    <Box maw={720}>
      <ContactForm
        owner={owner}
        country={draft.country}
        onSaved={() => setSaved(true)}
        headingOrder={2}
      >
        {needed.length > 0 && (
          <>
            <Text>{t('onbehalf.contactNeeded', { body: name, name: onBehalf.name })}</Text>
            <List>
              {needed.map((fact) => (
                <List.Item key={fact}>{tDynamic(`fact.${fact}`)}</List.Item>
              ))}
            </List>
          </>
        )}
      </ContactForm>
    </Box>
  );
}

/** The complainant's own guided steps, for the person the officer found or opened an account for. */
function Filing() {
  const { t } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const onBehalf = stored();
  if (!onBehalf || !user) return <Navigate to={BASE} replace />;
  const draftKey = `${user.id}:${onBehalf.complainantId}`;
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
      <GuidedFiling basePath={`${BASE}/for`} draftKey={draftKey} onBehalf={onBehalf} />
      <ContactStep onBehalf={onBehalf} draftKey={draftKey} />
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
