import { Alert, Button, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { useCountryGroups } from '../../pages/complainant/filing/useCountryGroups';
import { ErrorSummary, type FieldError } from '../ErrorSummary';
import { ProblemAlert } from '../ProblemAlert';

type Contact = Schemas['Contact'];

export const contactKey = ['me', 'contact'] as const;

/**
 * Whose contact details: the signed-in complainant's own (`/me/contact`), or, for staff working
 * or filing their case, a complainant's by id (`/complainants/:id/contact`).
 */
export type ContactOwner = { kind: 'me' } | { kind: 'complainant'; id: string };

export const complainantContactKey = (id: string) => ['complainant', id, 'contact'] as const;

/** Someone's contact details: personal data, never cached long. */
export function useContact(owner: ContactOwner) {
  return useQuery({
    queryKey: owner.kind === 'me' ? contactKey : complainantContactKey(owner.id),
    queryFn: () =>
      owner.kind === 'me'
        ? unwrap(api.GET('/api/v1/me/contact'))
        : unwrap(
            api.GET('/api/v1/complainants/{id}/contact', { params: { path: { id: owner.id } } }),
          ),
  });
}

export function useMyContact() {
  return useContact({ kind: 'me' });
}

function saveContact(owner: ContactOwner, body: Schemas['UpdateContactRequest']) {
  return owner.kind === 'me'
    ? unwrap(api.PUT('/api/v1/me/contact', { body }))
    : unwrap(
        api.PUT('/api/v1/complainants/{id}/contact', {
          params: { path: { id: owner.id } },
          body,
        }),
      );
}

interface Fields {
  phone: string;
  line1: string;
  line2: string;
  locality: string;
  region: string;
  postalCode: string;
  country: string;
}

function fieldsOf(contact: Contact | undefined, country: string): Fields {
  const address = contact?.postalAddress;
  return {
    phone: contact?.phone ?? '',
    line1: address?.lines[0] ?? '',
    line2: address?.lines[1] ?? '',
    locality: address?.locality ?? '',
    region: address?.region ?? '',
    postalCode: address?.postalCode ?? '',
    country: address?.country ?? country,
  };
}

/** The PUT body: empty optional parts left out, an address only once it has a street line. */
function toRequest(fields: Fields): Schemas['UpdateContactRequest'] {
  const lines = [fields.line1, fields.line2].map((line) => line.trim()).filter(Boolean);
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  return {
    phone: fields.phone.trim() || null,
    postalAddress: lines.length
      ? {
          lines,
          locality: fields.locality.trim(),
          region: optional(fields.region),
          postalCode: optional(fields.postalCode),
          country: fields.country,
        }
      : null,
  };
}

/** The server names a field as `body.postalAddress.lines.0`; this form's ids are flatter. */
const FIELD_IDS: [RegExp, string][] = [
  [/^body\.phone/, 'contactPhone'],
  [/^body\.postalAddress\.lines\.1/, 'contactLine2'],
  [/^body\.postalAddress\.lines/, 'contactLine1'],
  [/^body\.postalAddress\.locality/, 'contactLocality'],
  [/^body\.postalAddress\.region/, 'contactRegion'],
  [/^body\.postalAddress\.postalCode/, 'contactPostalCode'],
  [/^body\.postalAddress\.country/, 'contactCountry'],
];

function fieldErrors(error: unknown, message: (id: string) => string): FieldError[] {
  if (!(error instanceof ApiProblem) || error.status !== 400) return [];
  const errors = (error.body as { errors?: { path: string }[] } | undefined)?.errors ?? [];
  return errors.flatMap((issue) => {
    const id = FIELD_IDS.find(([pattern]) => pattern.test(issue.path))?.[1];
    return id ? [{ fieldId: id, message: message(id) }] : [];
  });
}

/** The form's state: what was typed over the stored details, and the outcome of saving it. */
function useContactEditing(owner: ContactOwner, country: string, onSaved: () => void) {
  const { tDynamic } = useI18n();
  const queryClient = useQueryClient();
  const current = useContact(owner);
  const [edited, setEdited] = useState<Fields | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const fields = edited ?? fieldsOf(current.data, country);
  const set = (patch: Partial<Fields>) => {
    setSaved(false);
    setEdited({ ...fields, ...patch });
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setErrors([]);
    try {
      const contact = await saveContact(owner, toRequest(fields));
      queryClient.setQueryData(
        owner.kind === 'me' ? contactKey : complainantContactKey(owner.id),
        contact,
      );
      setEdited(null);
      setSaved(true);
      onSaved();
    } catch (error) {
      const found = fieldErrors(error, (id) => tDynamic(`contact.error.${id}`));
      setErrors(found);
      if (!found.length) setFailure(error);
    } finally {
      setBusy(false);
    }
  }
  return { fields, set, errors, failure, busy, saved, submit };
}

/** The postal address's inputs, named for the browser's autofill. */
function AddressFields({
  fields,
  set,
  errorOf,
}: {
  fields: Fields;
  set(patch: Partial<Fields>): void;
  errorOf(id: string): string | undefined;
}) {
  const { t } = useI18n();
  const countries = useCountryGroups();
  const input = (id: string, key: keyof Fields, label: string, autoComplete: string) => (
    <TextInput
      id={id}
      label={label}
      autoComplete={autoComplete}
      value={fields[key]}
      onChange={(e) => set({ [key]: e.currentTarget.value })}
      error={errorOf(id)}
    />
  );
  return (
    <>
      {input('contactLine1', 'line1', t('contact.line1'), 'address-line1')}
      {input('contactLine2', 'line2', t('contact.line2'), 'address-line2')}
      {input('contactLocality', 'locality', t('contact.locality'), 'address-level2')}
      {input('contactRegion', 'region', t('contact.region'), 'address-level1')}
      {input('contactPostalCode', 'postalCode', t('contact.postalCode'), 'postal-code')}
      <NativeSelect
        id="contactCountry"
        label={t('contact.country')}
        value={fields.country}
        onChange={(e) => set({ country: e.currentTarget.value })}
        error={errorOf('contactCountry')}
        data={countries}
      />
    </>
  );
}

/**
 * The complainant's phone number and postal address, where a consumer body needs them (12315
 * asks for both): kept on their account for every case, saved with PUT /me/contact by the
 * complainant, or with PUT /complainants/:id/contact by the officer filing or working for them.
 */
export function ContactForm({
  owner = { kind: 'me' },
  country,
  onSaved,
  headingOrder = 3,
  children,
}: {
  owner?: ContactOwner;
  country: string;
  onSaved(): void;
  headingOrder?: 2 | 3;
  /** Said under the introduction: which details the body asks for, and why now. */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { fields, set, errors, failure, busy, saved, submit } = useContactEditing(
    owner,
    country,
    onSaved,
  );
  const staff = owner.kind === 'complainant';
  const errorOf = (id: string) => errors.find((e) => e.fieldId === id)?.message;

  return (
    <Paper withBorder p="md">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Title order={headingOrder}>{t(staff ? 'contact.staffTitle' : 'contact.title')}</Title>
          <Text>{t(staff ? 'contact.staffIntro' : 'contact.intro')}</Text>
          {children}
          <ErrorSummary errors={errors} />
          <ProblemAlert error={failure} />
          <TextInput
            id="contactPhone"
            type="tel"
            label={t('contact.phone')}
            description={t('contact.phoneHint')}
            autoComplete="tel"
            value={fields.phone}
            onChange={(e) => set({ phone: e.currentTarget.value })}
            error={errorOf('contactPhone')}
          />
          <AddressFields fields={fields} set={set} errorOf={errorOf} />
          {saved && (
            <Alert color="green" variant="outline" role="status">
              {t(staff ? 'contact.staffSaved' : 'contact.saved')}
            </Alert>
          )}
          <Button type="submit" loading={busy} w="fit-content">
            {t('contact.save')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
