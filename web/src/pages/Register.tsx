import { Anchor, Button, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod/mini';
import { api, unwrap } from '../api/client';
import { ErrorSummary, type FieldError } from '../components/ErrorSummary';
import { ProblemAlert } from '../components/ProblemAlert';
import { LANGUAGES, isLanguage, type Language } from '../i18n/catalog';
import { useI18n } from '../i18n';

export function Register() {
  const { t, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Language>(lang);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!name.trim())
      found.push({ fieldId: 'name', message: t('errors.required', { field: t('auth.name') }) });
    if (!z.email().safeParse(email.trim()).success)
      found.push({ fieldId: 'email', message: t('errors.email') });
    if (password.length < 12)
      found.push({ fieldId: 'password', message: t('errors.passwordShort') });
    setErrors(found);
    setFailure(null);
    if (found.length) return;
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/v1/auth/register', {
          body: { name: name.trim(), email: email.trim(), password, locale },
        }),
      );
      navigate('/sign-in?registered=1');
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  const errorOf = (id: string) => errors.find((error) => error.fieldId === id)?.message;
  return (
    <Stack maw={420} mx="auto">
      <Title order={1}>{t('auth.registerTitle')}</Title>
      <Text>{t('auth.registerIntro')}</Text>
      <ErrorSummary errors={errors} />
      <ProblemAlert error={failure} />
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            id="name"
            label={t('auth.name')}
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errorOf('name')}
          />
          <TextInput
            id="email"
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errorOf('email')}
          />
          <TextInput
            type="password"
            id="password"
            label={t('auth.password')}
            description={t('auth.passwordHint')}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errorOf('password')}
          />
          <NativeSelect
            id="locale"
            label={t('lang.label')}
            value={locale}
            onChange={(event) => {
              // This field is also the page's language switch, so the page has one "Language".
              const value = event.currentTarget.value;
              if (isLanguage(value)) {
                setLocale(value);
                setLang(value);
              }
            }}
            data={LANGUAGES.map((value) => ({ value, label: t(`lang.${value}`) }))}
          />
          <Button type="submit" loading={busy}>
            {t('auth.createAccount')}
          </Button>
        </Stack>
      </form>
      <Anchor component={Link} to="/sign-in">
        {t('auth.haveAccount')}
      </Anchor>
    </Stack>
  );
}
