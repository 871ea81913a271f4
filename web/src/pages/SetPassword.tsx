import { Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorSummary, type FieldError } from '../components/ErrorSummary';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n';

/** Where the set-password email of an account opened by an officer leads. */
export function SetPassword() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const token = new URLSearchParams(useLocation().search).get('token') ?? '';
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found =
      password.length < 12 ? [{ fieldId: 'password', message: t('errors.passwordShort') }] : [];
    setErrors(found);
    setFailure(null);
    if (found.length) return;
    setBusy(true);
    try {
      await unwrap(api.POST('/api/v1/auth/password', { body: { token, password } }));
      navigate('/sign-in?password-set=1', { replace: true });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack maw={420} mx="auto">
      <Title order={1}>{t('auth.setPasswordTitle')}</Title>
      {token ? (
        <>
          <Text>{t('auth.setPasswordIntro')}</Text>
          <ErrorSummary errors={errors} />
          <ProblemAlert error={failure} />
          <form onSubmit={submit} noValidate>
            <Stack>
              <TextInput
                id="password"
                type="password"
                label={t('auth.newPassword')}
                description={t('auth.passwordHint')}
                autoComplete="new-password"
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
                error={errors[0]?.message}
              />
              <Button type="submit" loading={busy}>
                {t('auth.setPassword')}
              </Button>
            </Stack>
          </form>
        </>
      ) : (
        <Text role="alert">{t('auth.linkMissing')}</Text>
      )}
    </Stack>
  );
}
