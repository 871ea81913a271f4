import {
  Button,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { z } from 'zod/mini';
import { api, unwrap } from '../../api/client';
import { ErrorSummary, type FieldError } from '../../components/ErrorSummary';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useI18n } from '../../i18n';
import { LANGUAGES, type Language } from '../../i18n/catalog';
import { ROLES, type Role } from './shared';

interface Draft {
  name: string;
  email: string;
  password: string;
  role: Role;
  locale: Language;
}

const EMPTY: Draft = { name: '', email: '', password: '', role: 'officer', locale: 'en' };

function validate(draft: Draft, t: ReturnType<typeof useI18n>['t']): FieldError[] {
  const errors: FieldError[] = [];
  if (!draft.name.trim())
    errors.push({
      fieldId: 'new-user-name',
      message: t('errors.required', { field: t('users.field.name') }),
    });
  if (!z.email().safeParse(draft.email.trim()).success)
    errors.push({ fieldId: 'new-user-email', message: t('errors.email') });
  if (draft.password.length < 12)
    errors.push({ fieldId: 'new-user-password', message: t('errors.passwordShort') });
  return errors;
}

export function UserForm() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [created, setCreated] = useState('');
  const create = useMutation({
    mutationFn: (body: Draft) =>
      unwrap(
        api.POST('/api/v1/users', {
          body: { ...body, name: body.name.trim(), email: body.email.trim() },
        }),
      ),
    onSuccess: (user) => {
      setCreated(t('users.created', { email: user.email }));
      setDraft(EMPTY);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const errorOf = (id: string) => errors.find((error) => error.fieldId === id)?.message;
  const set =
    (name: 'name' | 'email' | 'password') => (event: { currentTarget: { value: string } }) =>
      setDraft({ ...draft, [name]: event.currentTarget.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validate(draft, t);
    setErrors(found);
    setCreated('');
    if (found.length === 0) create.mutate(draft);
  }

  return (
    <Stack gap="sm">
      <Title order={2}>{t('users.createTitle')}</Title>
      <ErrorSummary errors={errors} />
      <ProblemAlert error={create.error} />
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <TextInput
              id="new-user-name"
              label={t('users.field.name')}
              autoComplete="off"
              value={draft.name}
              onChange={set('name')}
              error={errorOf('new-user-name')}
            />
            <TextInput
              id="new-user-email"
              type="email"
              label={t('users.field.email')}
              autoComplete="off"
              value={draft.email}
              onChange={set('email')}
              error={errorOf('new-user-email')}
            />
            <TextInput
              id="new-user-password"
              type="password"
              label={t('users.field.password')}
              description={t('users.field.passwordHint')}
              autoComplete="new-password"
              value={draft.password}
              onChange={set('password')}
              error={errorOf('new-user-password')}
            />
            <NativeSelect
              id="new-user-role"
              label={t('users.field.role')}
              value={draft.role}
              onChange={(event) => setDraft({ ...draft, role: event.currentTarget.value as Role })}
              data={ROLES.map((role) => ({ value: role, label: t(`users.role.${role}`) }))}
            />
            <NativeSelect
              id="new-user-locale"
              label={t('users.field.locale')}
              description={t('users.field.localeHint')}
              value={draft.locale}
              onChange={(event) =>
                setDraft({ ...draft, locale: event.currentTarget.value as Language })
              }
              data={LANGUAGES.map((lang) => ({ value: lang, label: t(`lang.${lang}`) }))}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Text role="status">{created}</Text>
    </Stack>
  );
}
