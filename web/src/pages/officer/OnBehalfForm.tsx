import { Button, Group, NativeSelect, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap, type Schemas, type User } from '../../api/client';
import { ErrorSummary, type FieldError } from '../../components/ErrorSummary';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n, type MessageKey } from '../../i18n';
import type { OfficerChannel } from './FindComplainant';
import {
  CATEGORIES,
  COUNTRIES,
  CURRENCIES,
  RESPONDENT_KINDS,
  countryName,
  toMinor,
} from './shared';

type Form = Record<
  | 'category'
  | 'company'
  | 'kind'
  | 'country'
  | 'date'
  | 'amount'
  | 'currency'
  | 'reference'
  | 'narrative'
  | 'outcome',
  string
>;

const REQUIRED: [keyof Form, MessageKey][] = [
  ['category', 'onbehalf.category'],
  ['company', 'onbehalf.company'],
  ['kind', 'onbehalf.companyType'],
  ['country', 'onbehalf.country'],
  ['date', 'onbehalf.date'],
  ['amount', 'onbehalf.amount'],
  ['currency', 'onbehalf.currency'],
  ['narrative', 'onbehalf.narrative'],
  ['outcome', 'onbehalf.outcome'],
];

const idOf = (field: keyof Form) => `onbehalf-${field}`;

function validate(form: Form, t: ReturnType<typeof useI18n>['t']): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, label] of REQUIRED) {
    if (!form[field].trim())
      errors.push({ fieldId: idOf(field), message: t('errors.required', { field: t(label) }) });
  }
  if (form.amount.trim() && form.currency && toMinor(form.amount, form.currency) === null)
    errors.push({ fieldId: idOf('amount'), message: t('onbehalf.amountInvalid') });
  if (form.date && Date.parse(`${form.date}T00:00:00Z`) > Date.now())
    errors.push({ fieldId: idOf('date'), message: t('onbehalf.dateFuture') });
  return errors;
}

function bodyOf(form: Form, complainant: User, channel: OfficerChannel): Schemas['FileComplaint'] {
  const reference = form.reference.trim();
  return {
    category: form.category as Schemas['FileComplaint']['category'],
    jurisdiction: form.country,
    locale: complainant.locale,
    respondent: {
      name: form.company.trim(),
      kind: form.kind as Schemas['FileComplaint']['respondent']['kind'],
    },
    transaction: {
      occurredAt: new Date(`${form.date}T00:00:00Z`).toISOString(),
      ...(reference ? { reference } : {}),
      amount: { amountMinor: toMinor(form.amount, form.currency)!, currency: form.currency },
    },
    narrative: form.narrative.trim(),
    desiredOutcome: form.outcome.trim(),
    channel,
    complainantId: complainant.id,
  };
}

/** Step two: the complaint itself, with the complainant wizard's labels, on one page. */
export function OnBehalfForm({
  complainant,
  channel,
}: {
  complainant: User;
  channel: OfficerChannel;
}) {
  const { t, tDynamic, lang } = useI18n();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>({
    category: '',
    company: '',
    kind: '',
    country: '',
    date: '',
    amount: '',
    currency: '',
    reference: '',
    narrative: '',
    outcome: '',
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof Form) => ({
    id: idOf(name),
    value: form[name],
    error: errors.find((error) => error.fieldId === idOf(name))?.message,
    onChange: (event: { currentTarget: { value: string } }) => {
      // Read now: React may run the updater after the event's currentTarget is gone.
      const value = event.currentTarget.value;
      setForm((all) => ({ ...all, [name]: value }));
    },
  });
  const choose = { value: '', label: t('action.choose') };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate(form, t);
    setErrors(found);
    setFailure(null);
    if (found.length) return;
    setBusy(true);
    try {
      const created = await unwrap(
        api.POST('/api/v1/cases', { body: bodyOf(form, complainant, channel) }),
      );
      navigate(`/cases/${created.id}`);
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={720}>
        <ErrorSummary errors={errors} />
        <ProblemAlert error={failure} />
        <NativeSelect
          label={t('onbehalf.category')}
          {...field('category')}
          data={[
            choose,
            ...CATEGORIES.map((code) => ({ value: code, label: tDynamic(`category.${code}`) })),
          ]}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('onbehalf.company')} maxLength={200} {...field('company')} />
          <NativeSelect
            label={t('onbehalf.companyType')}
            {...field('kind')}
            data={[
              choose,
              ...RESPONDENT_KINDS.map((code) => ({
                value: code,
                label: tDynamic(`respondentKind.${code}`),
              })),
            ]}
          />
          <NativeSelect
            label={t('onbehalf.country')}
            {...field('country')}
            data={[
              choose,
              ...COUNTRIES.map((code) => ({ value: code, label: countryName(code, lang) })),
            ]}
          />
          <TextInput label={t('onbehalf.date')} type="date" {...field('date')} />
          <TextInput label={t('onbehalf.amount')} inputMode="decimal" {...field('amount')} />
          <NativeSelect
            label={t('onbehalf.currency')}
            {...field('currency')}
            data={[choose, ...CURRENCIES.map((code) => ({ value: code, label: code }))]}
          />
        </SimpleGrid>
        <TextInput
          label={t('onbehalf.reference')}
          description={t('action.optional')}
          maxLength={120}
          {...field('reference')}
        />
        <Textarea
          label={t('onbehalf.narrative')}
          autosize
          minRows={4}
          maxLength={10_000}
          {...field('narrative')}
        />
        <Textarea
          label={t('onbehalf.outcome')}
          autosize
          minRows={2}
          maxLength={2_000}
          {...field('outcome')}
        />
        <Group>
          <Button type="submit" loading={busy}>
            {t('onbehalf.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
