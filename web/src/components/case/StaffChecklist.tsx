import { List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../i18n';
import { countryName } from '../../pages/complainant/filing/places';
import { bodyName } from './bodies';
import { ContactForm } from './ContactForm';
import { needsContact, RESPONDENT_FACT } from './facts';
import { refreshCase, type CaseData } from './queries';

/**
 * What the consumer body still needs before it takes the case, as staff read it (the case
 * view's `escalation.missing`, named by the shared label table). An officer completes the
 * complainant's contact here, on their account, and the company's details with the
 * "Update details" action; compliance only reads the list.
 */
export function StaffChecklist({ view, canEdit }: { view: CaseData; canEdit: boolean }) {
  const { t, tDynamic, lang } = useI18n();
  const queryClient = useQueryClient();
  const escalation = view.escalation;
  const facts = (escalation?.missing ?? []).map((m) => m.fact as string);
  if (!escalation?.body || facts.length === 0) return null;
  const body = bodyName(
    tDynamic,
    escalation.body.code,
    (code) => countryName(lang, code),
    escalation.body.name,
  );
  const updatable = view.allowedEvents.includes('UPDATE_DETAILS');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="body-needs-title">
      <Stack gap="sm">
        <Title order={2} size="h3" id="body-needs-title">
          {t('escalation.missingTitle', { body })}
        </Title>
        <List>
          {facts.map((fact) => (
            <List.Item key={fact}>{tDynamic(`fact.${fact}`)}</List.Item>
          ))}
        </List>
        {canEdit && updatable && facts.includes(RESPONDENT_FACT) && (
          <Text>{t('escalation.staffRespondent')}</Text>
        )}
        {/* Imported cases share one placeholder owner: contact saved there would be every
            imported complaint's. */}
        {canEdit && needsContact(facts) && view.channel === 'import' && (
          <Text>{t('escalation.importedOwner')}</Text>
        )}
        {canEdit && needsContact(facts) && view.channel !== 'import' && (
          <ContactForm
            owner={{ kind: 'complainant', id: view.ownerId }}
            country={view.jurisdiction}
            onSaved={() => void refreshCase(queryClient, view.id)}
          />
        )}
      </Stack>
    </Paper>
  );
}
