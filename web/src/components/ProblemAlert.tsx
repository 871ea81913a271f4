import { Alert } from '@mantine/core';
import { ApiProblem } from '../api/client';
import { useI18n } from '../i18n';

/** What went wrong with a request, in words: the API's own detail, or a network failure. */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const detail =
    error instanceof ApiProblem
      ? error.detail || error.title
      : error instanceof TypeError
        ? t('errors.network')
        : String((error as Error).message ?? error);
  return (
    <Alert color="red" role="alert" mb="md">
      {t('errors.generic', { detail })}
    </Alert>
  );
}
