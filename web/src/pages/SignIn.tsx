import { Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { z } from 'zod/mini';
import { ApiProblem } from '../api/client';
import { ErrorSummary, type FieldError } from '../components/ErrorSummary';
import { ProblemAlert } from '../components/ProblemAlert';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { homeFor } from './home';

export function SignIn() {
  const { t } = useI18n();
  const { signIn, user } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const search = new URLSearchParams(location.search);
  const notice = search.has('registered')
    ? t('auth.registered')
    : search.has('password-set')
      ? t('auth.passwordSet')
      : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!z.email().safeParse(email.trim()).success)
      found.push({ fieldId: 'email', message: t('errors.email') });
    if (!password)
      found.push({
        fieldId: 'password',
        message: t('errors.required', { field: t('auth.password') }),
      });
    setErrors(found);
    setFailure(null);
    if (found.length) return;
    setBusy(true);
    try {
      const user = await signIn(email.trim(), password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/sign-in' ? from : homeFor(user.role), { replace: true });
    } catch (error) {
      setFailure(
        error instanceof ApiProblem && error.status === 401 ? new Error(t('auth.failed')) : error,
      );
    } finally {
      setBusy(false);
    }
  }

  if (user) return <Navigate to={homeFor(user.role)} replace />;
  const errorOf = (id: string) => errors.find((error) => error.fieldId === id)?.message;
  return (
    <Stack maw={420} mx="auto">
      <Title order={1}>{t('auth.signInTitle')}</Title>
      {notice && <Text role="status">{notice}</Text>}
      <ErrorSummary errors={errors} />
      <ProblemAlert error={failure} />
      <form onSubmit={submit} noValidate>
        <Stack>
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
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={errorOf('password')}
          />
          <Button type="submit" loading={busy}>
            {t('auth.signIn')}
          </Button>
        </Stack>
      </form>
      <Anchor component={Link} to="/register">
        {t('auth.createAccountLink')}
      </Anchor>
    </Stack>
  );
}
