import { Alert, NativeSelect, Text, TextInput, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import { bodyFor, bodyName, bodyRequirements, useWorkflow } from '../../../components/case/bodies';
import { fractionDigits } from '../../../components/case/money';
import type { FieldError } from '../../../components/ErrorSummary';
import { useI18n } from '../../../i18n';
import { useFiling } from './context';
import { REFERENCE_MAX, RESPONDENT_KINDS, today } from './draft';
import { countryName, currencyFor, currencyGroups } from './places';
import { useCountryGroups } from './useCountryGroups';
import { errorFor, Step } from './Step';

/** Who can take the complaint further here, and after how long: from GET /workflow. */
function BodyNotice({ country, kind }: { country: string; kind: string }) {
  const { t, tDynamic, lang } = useI18n();
  const workflow = useWorkflow();
  if (!workflow.data || !country) return null;
  const body = bodyFor(workflow.data, country, kind || 'platform');
  const text = body
    ? t('file.company.body', {
        amount: body.finalResponse.amount,
        unit: tDynamic(`unit.${body.finalResponse.unit}`),
        body: bodyName(tDynamic, body.code, (code) => countryName(lang, code), body.name),
      })
    : t('file.company.noBody', { amount: 30, unit: tDynamic('unit.calendarDays') });
  return (
    <Alert color="blue" variant="outline" role="status" aria-live="polite">
      <Text>{text}</Text>
    </Alert>
  );
}

export function CompanyStep() {
  const { t, tDynamic } = useI18n();
  const { draft, update } = useFiling();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const countries = useCountryGroups();

  const workflow = useWorkflow();
  // Asked only where the body needs them (12315); the complainant can also add them later.
  const asksCompanyDetails =
    !!workflow.data &&
    !!draft.country &&
    bodyRequirements(workflow.data, draft.country, draft.companyKind).includes(
      'respondent.addressOrRegistrationNumber',
    );

  function chooseCountry(country: string) {
    const currency = currencyFor(country);
    update(!draft.currencyChosen && currency ? { country, currency } : { country });
  }

  return (
    <Step
      step="company"
      title={t('file.company.title')}
      fields={['companyName', 'companyKind', 'country', 'companyAddress', 'companyRegistration']}
      errors={errors}
      setErrors={setErrors}
    >
      <TextInput
        id="companyName"
        label={t('file.company.name')}
        description={t('file.company.nameHint')}
        autoComplete="organization"
        value={draft.companyName}
        onChange={(event) => update({ companyName: event.currentTarget.value })}
        error={errorFor(errors, 'companyName')}
      />
      <NativeSelect
        id="companyKind"
        label={t('file.company.kind')}
        value={draft.companyKind}
        onChange={(event) => update({ companyKind: event.currentTarget.value })}
        error={errorFor(errors, 'companyKind')}
        data={[
          { value: '', label: t('file.choose') },
          ...RESPONDENT_KINDS.map((kind) => ({
            value: kind,
            label: tDynamic(`respondentKind.${kind}`),
          })),
        ]}
      />
      <NativeSelect
        id="country"
        label={t('file.company.country')}
        description={t('file.company.countryHint')}
        value={draft.country}
        onChange={(event) => chooseCountry(event.currentTarget.value)}
        error={errorFor(errors, 'country')}
        data={[{ value: '', label: t('file.choose') }, ...countries]}
      />
      <BodyNotice country={draft.country} kind={draft.companyKind} />
      {asksCompanyDetails && (
        <>
          <Textarea
            id="companyAddress"
            label={t('file.company.address')}
            description={t('file.company.addressHint')}
            autoComplete="off"
            autosize
            minRows={2}
            value={draft.companyAddress}
            onChange={(event) => update({ companyAddress: event.currentTarget.value })}
            error={errorFor(errors, 'companyAddress')}
          />
          <TextInput
            id="companyRegistration"
            label={t('file.company.registration')}
            description={
              draft.country === 'CN'
                ? t('details.numberHintCN')
                : t('file.company.registrationHint')
            }
            autoComplete="off"
            value={draft.companyRegistration}
            onChange={(event) => update({ companyRegistration: event.currentTarget.value })}
            error={errorFor(errors, 'companyRegistration')}
          />
        </>
      )}
    </Step>
  );
}

export function TransactionStep() {
  const { t, fmt, lang } = useI18n();
  const { draft, update } = useFiling();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const currencies = useMemo(
    () =>
      currencyGroups(lang, {
        common: t('file.transaction.currenciesCommon'),
        all: t('file.transaction.currenciesAll'),
      }),
    [lang, t],
  );
  const digits = fractionDigits(draft.currency || 'CNY');
  const example = fmt.number(digits ? 1299.5 : 1300);

  return (
    <Step
      step="transaction"
      title={t('file.transaction.title')}
      fields={['date', 'amount', 'currency', 'reference']}
      errors={errors}
      setErrors={setErrors}
    >
      <TextInput
        id="date"
        type="date"
        label={t('file.transaction.date')}
        description={t('file.transaction.dateHint')}
        max={today()}
        value={draft.date}
        onChange={(event) => update({ date: event.currentTarget.value })}
        error={errorFor(errors, 'date')}
      />
      <TextInput
        id="amount"
        label={t('file.transaction.amount')}
        description={t('file.transaction.amountHint', { example })}
        inputMode="decimal"
        autoComplete="off"
        value={draft.amount}
        onChange={(event) => update({ amount: event.currentTarget.value })}
        error={errorFor(errors, 'amount')}
      />
      <NativeSelect
        id="currency"
        label={t('file.transaction.currency')}
        value={draft.currency}
        onChange={(event) => update({ currency: event.currentTarget.value, currencyChosen: true })}
        error={errorFor(errors, 'currency')}
        data={[{ value: '', label: t('file.choose') }, ...currencies]}
      />
      <TextInput
        id="reference"
        label={t('file.transaction.reference')}
        description={t('file.transaction.referenceHint')}
        maxLength={REFERENCE_MAX + 20}
        autoComplete="off"
        value={draft.reference}
        onChange={(event) => update({ reference: event.currentTarget.value })}
        error={errorFor(errors, 'reference')}
      />
    </Step>
  );
}
