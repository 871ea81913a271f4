import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { api, unwrap, type User } from '../../api/client';
import { ErrorSummary, type FieldError } from '../../components/ErrorSummary';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { LANGUAGES, isLanguage, type Language } from '../../i18n/catalog';

export const OFFICER_CHANNELS = ['phone', 'email', 'letter'] as const;
export type OfficerChannel = (typeof OFFICER_CHANNELS)[number];

/** Step one: how they got in touch, and whose account the complaint goes on. */
export function FindComplainant({
  channel,
  onChannel,
  onChosen,
}: {
  channel: OfficerChannel;
  onChannel(channel: OfficerChannel): void;
  onChosen(user: User): void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [found, setFound] = useState<User | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errorOf = (id: string) => errors.find((error) => error.fieldId === id)?.message;

  async function find(event: FormEvent) {
    event.preventDefault();
    const address = email.trim().toLowerCase();
    const bad = !z.email().safeParse(address).success;
    setErrors(bad ? [{ fieldId: 'complainant-email', message: t('errors.email') }] : []);
    setFailure(null);
    if (bad) return;
    setBusy(true);
    try {
      const result = await unwrap(
        api.GET('/api/v1/complainants', { params: { query: { email: address } } }),
      );
      setFound(result.items[0] ?? null);
      setSearched(address);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md" maw={560}>
      <ErrorSummary errors={errors} />
      <ProblemAlert error={failure} />
      <NativeSelect
        label={t('onbehalf.channel')}
        value={channel}
        onChange={(event) => onChannel(event.currentTarget.value as OfficerChannel)}
        data={OFFICER_CHANNELS.map((value) => ({ value, label: t(`channel.${value}`) }))}
      />
      <form onSubmit={find} noValidate>
        <Group align="end" gap="xs">
          <TextInput
            id="complainant-email"
            label={t('onbehalf.email')}
            type="email"
            value={email}
            onChange={(event) => {
              setEmail(event.currentTarget.value);
              setSearched(null);
            }}
            error={errorOf('complainant-email')}
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="default" loading={busy}>
            {t('onbehalf.find')}
          </Button>
        </Group>
      </form>
      {searched && found && (
        <Alert color="blue" variant="outline" role="status" title={t('onbehalf.foundTitle')}>
          <Text mb="sm">{t('onbehalf.found', { name: found.name, email: found.email })}</Text>
          <Button onClick={() => onChosen(found)}>{t('onbehalf.useThis')}</Button>
        </Alert>
      )}
      {searched && !found && <NewComplainant email={searched} onCreated={onChosen} />}
    </Stack>
  );
}

/** No account has the address: one is made for it, in the language they will get email in. */
function NewComplainant({ email, onCreated }: { email: string; onCreated(user: User): void }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState('');
  const [locale, setLocale] = useState<Language>(lang);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    const missing = !name.trim();
    const message = t('errors.required', { field: t('onbehalf.fullName') });
    setErrors(missing ? [{ fieldId: 'complainant-name', message }] : []);
    setFailure(null);
    if (missing) return;
    setBusy(true);
    try {
      const user = await unwrap(
        api.POST('/api/v1/complainants', { body: { email, name: name.trim(), locale } }),
      );
      onCreated(user);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={create} noValidate>
      <Stack gap="sm">
        <ErrorSummary errors={errors} />
        <ProblemAlert error={failure} />
        <Title order={2} size="h4">
          {t('onbehalf.createTitle')}
        </Title>
        <Text role="status">{t('onbehalf.notFound', { email })}</Text>
        <TextInput
          id="complainant-name"
          label={t('onbehalf.fullName')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.find((error) => error.fieldId === 'complainant-name')?.message}
          maxLength={200}
        />
        <NativeSelect
          label={t('onbehalf.locale')}
          value={locale}
          onChange={(event) =>
            isLanguage(event.currentTarget.value) && setLocale(event.currentTarget.value)
          }
          data={LANGUAGES.map((value) => ({ value, label: t(`lang.${value}`) }))}
        />
        <Text size="sm" c="dimmed">
          {t('onbehalf.createHint')}
        </Text>
        <Button type="submit" loading={busy}>
          {t('onbehalf.create')}
        </Button>
      </Stack>
    </form>
  );
}
