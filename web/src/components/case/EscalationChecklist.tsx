import { Alert, Button, List, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiProblem } from '../../api/client';
import { useI18n, type I18n } from '../../i18n';
import { useCaseEvent } from '../../pages/complainant/case/useCaseEvent';
import { ErrorSummary, type FieldError } from '../ErrorSummary';
import { ProblemAlert } from '../ProblemAlert';
import { ContactForm } from './ContactForm';
import { needsContact, RESPONDENT_FACT } from './facts';
import { refreshCase, type CaseData } from './queries';
// The same bounds as workflows/events.ts RESPONDENT_ADDRESS_MAX / REGISTRATION_NUMBER_MAX.
const ADDRESS_MAX = 500;
const NUMBER_MAX = 50;

/** A 400 on UPDATE_DETAILS, next to the field it names (`body.respondent.address`...). */
function refusedDetails(failure: unknown, t: I18n['t']): FieldError[] {
  if (!(failure instanceof ApiProblem) || failure.status !== 400) return [];
  const issues = (failure.body as { errors?: { path: string }[] }).errors ?? [];
  const address = issues.some((issue) => issue.path.endsWith('.address'));
  const number = issues.some((issue) => issue.path.endsWith('.registrationNumber'));
  return [
    ...(address
      ? [{ fieldId: 'respondentAddress', message: t('details.error.addressTooLong') }]
      : []),
    ...(number || !address
      ? [{ fieldId: 'respondentNumber', message: t('details.error.number') }]
      : []),
  ];
}

/** The schema's bounds (workflows/events.ts), checked before anything is sent. */
function checkDetails(address: string, number: string, t: I18n['t']): FieldError[] {
  const found: FieldError[] = [];
  if (!address.trim() && !number.trim())
    found.push({ fieldId: 'respondentAddress', message: t('details.error.none') });
  if (address.trim().length > ADDRESS_MAX)
    found.push({ fieldId: 'respondentAddress', message: t('details.error.addressTooLong') });
  if (number.trim().length > NUMBER_MAX)
    found.push({ fieldId: 'respondentNumber', message: t('details.error.numberTooLong') });
  return found;
}

/** The company's address or registration number, sent as UPDATE_DETAILS on the shown version. */
function RespondentDetails({ view }: { view: CaseData }) {
  const { t } = useI18n();
  const event = useCaseEvent(view.id, view.version);
  const [address, setAddress] = useState(view.respondent.address ?? '');
  const [number, setNumber] = useState(view.respondent.registrationNumber ?? '');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const serverErrors = refusedDetails(event.failure, t);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkDetails(address, number, t);
    setErrors(found);
    if (found.length) return;
    await event.send({
      type: 'UPDATE_DETAILS',
      respondent: {
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(number.trim() ? { registrationNumber: number.trim() } : {}),
      },
    });
  }

  const shown = [...errors, ...serverErrors];
  const errorOf = (id: string) => shown.find((error) => error.fieldId === id)?.message;
  return (
    <Paper withBorder p="md">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3}>{t('details.title')}</Title>
          <ErrorSummary errors={shown} />
          {event.conflict && (
            <Alert color="orange" variant="outline" role="alert">
              <Text>{t('case.view.conflict')}</Text>
            </Alert>
          )}
          {serverErrors.length === 0 && <ProblemAlert error={event.failure} />}
          <Textarea
            id="respondentAddress"
            label={t('details.address')}
            autosize
            minRows={2}
            value={address}
            onChange={(e) => setAddress(e.currentTarget.value)}
            error={errorOf('respondentAddress')}
          />
          <TextInput
            id="respondentNumber"
            label={t('details.number')}
            description={view.jurisdiction === 'CN' ? t('details.numberHintCN') : undefined}
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            error={errorOf('respondentNumber')}
          />
          <Button type="submit" loading={event.busy} w="fit-content">
            {t('details.save')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * What the consumer body still needs before it takes the case (the case view's
 * `escalation.missing`), with the forms that complete it: shown before anyone tries to escalate.
 */
export function EscalationChecklist({ view, body }: { view: CaseData; body: string }) {
  const { t, tDynamic } = useI18n();
  const queryClient = useQueryClient();
  const missing = view.escalation?.missing ?? [];
  if (!view.escalation?.body || missing.length === 0) return null;
  const facts = missing.map((m) => m.fact as string);
  const needsRespondent =
    facts.includes(RESPONDENT_FACT) && view.allowedEvents.includes('UPDATE_DETAILS');
  return (
    <Stack gap="sm" component="section" aria-labelledby="escalation-missing-title">
      <Alert color="orange" variant="outline">
        <Stack gap="xs">
          <Title order={3} id="escalation-missing-title">
            {t('escalation.missingTitle', { body })}
          </Title>
          <List>
            {facts.map((fact) => (
              <List.Item key={fact}>{tDynamic(`escalation.fact.${fact}`)}</List.Item>
            ))}
          </List>
        </Stack>
      </Alert>
      {needsContact(facts) && (
        <ContactForm
          country={view.jurisdiction}
          onSaved={() => void refreshCase(queryClient, view.id)}
        />
      )}
      {needsRespondent && <RespondentDetails view={view} />}
    </Stack>
  );
}
