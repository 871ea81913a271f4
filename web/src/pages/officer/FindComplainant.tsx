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
  const { t, lang } = useI18n();
  const [email, setEmail] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [found, setFound] = useState<User | null>(null);
  const [name, setName] = useState('');
  const [locale, setLocale] = useState<Language>(lang);
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

  async function create(event: FormEvent) {
    event.preventDefault();
    const missing = !name.trim();
    setErrors(
      missing
        ? [
            {
              fieldId: 'complainant-name',
              message: t('errors.required', { field: t('onbehalf.fullName') }),
            },
          ]
        : [],
    );
    setFailure(null);
    if (missing || !searched) return;
    setBusy(true);
    try {
      const user = await unwrap(
        api.POST('/api/v1/complainants', {
          body: { email: searched, name: name.trim(), locale },
        }),
      );
      onChosen(user);
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
          <Button type="submit" variant="default" loading={busy && !searched}>
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
      {searched && !found && (
        <form onSubmit={create} noValidate>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t('onbehalf.createTitle')}
            </Title>
            <Text role="status">{t('onbehalf.notFound', { email: searched })}</Text>
            <TextInput
              id="complainant-name"
              label={t('onbehalf.fullName')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={errorOf('complainant-name')}
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
      )}
    </Stack>
  );
}
