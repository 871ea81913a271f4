import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  NativeSelect,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, problemFrom } from '../../../api/client';
import type { FieldError } from '../../../components/ErrorSummary';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useI18n } from '../../../i18n';
import { useFiling, useStepPath } from './context';
import { CATEGORIES, URGENT, type Category } from './draft';
import { errorFor, Step } from './Step';
import { usePageTitle } from '../../../components/case/usePageTitle';

export function CategoryStep() {
  const { t, tDynamic } = useI18n();
  const { draft, update } = useFiling();
  const [errors, setErrors] = useState<FieldError[]>([]);
  return (
    <Step
      step="category"
      title={t('file.category.title')}
      fields={['category']}
      errors={errors}
      setErrors={setErrors}
    >
      <NativeSelect
        id="category"
        label={t('file.category.label')}
        description={t('file.category.hint')}
        value={draft.category}
        onChange={(event) => update({ category: event.currentTarget.value })}
        error={errorFor(errors, 'category')}
        data={[
          { value: '', label: t('file.choose') },
          ...CATEGORIES.map((code) => ({ value: code, label: tDynamic(`category.${code}`) })),
        ]}
      />
    </Step>
  );
}

const CHECKS = [1, 2, 3] as const;

/** "This solved it" is counted (category only, no personal data) and ends without a case. */
async function countSolved(category: Category): Promise<void> {
  const { response } = await api.POST('/api/v1/self-help/solved', { body: { category } });
  if (!response.ok) throw await problemFrom(response);
}

export function ChecksStep() {
  const { t, tDynamic } = useI18n();
  const stepPath = useStepPath();
  usePageTitle(t('file.checks.title'));
  const { draft } = useFiling();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const category = draft.category as Category;
  if (!CATEGORIES.includes(category)) return <Navigate to={stepPath('category')} replace />;
  const urgent = URGENT.includes(category);

  async function solved() {
    setBusy(true);
    setFailure(null);
    try {
      await countSolved(category);
      navigate(stepPath('solved'), { replace: true });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('file.stepOf', { step: 1, total: 6 })}
      </Text>
      <Title order={1}>{t('file.checks.title')}</Title>
      <Text>
        {t('file.checks.intro', { category: tDynamic(`category.${category}`).toLowerCase() })}
      </Text>
      {urgent && (
        <Alert color="red" variant="outline" title={t('file.checks.urgentTitle')}>
          <Text c="red.9">{t('file.checks.urgent')}</Text>
        </Alert>
      )}
      <List type="ordered" spacing="sm">
        {CHECKS.map((n) => (
          <List.Item key={n}>{tDynamic(`file.checks.${category}.${n}`)}</List.Item>
        ))}
      </List>
      <ProblemAlert error={failure} />
      <Group gap="sm">
        <Button variant="default" onClick={() => navigate(stepPath('category'))}>
          {t('common.back')}
        </Button>
        <Button variant="outline" onClick={() => void solved()} loading={busy}>
          {t('file.checks.solved')}
        </Button>
        <Button onClick={() => navigate(stepPath('company'))}>{t('file.checks.goOn')}</Button>
      </Group>
    </Stack>
  );
}

export function SolvedPage() {
  const { t } = useI18n();
  usePageTitle(t('file.solved.title'));
  const { reset } = useFiling();
  // Forgotten here, not on the checks page: navigation is a transition in React Router 7, so
  // the checks page would first see the empty draft and send the person back to step 1.
  useEffect(() => reset(), [reset]);
  return (
    <Stack gap="md">
      <Title order={1}>{t('file.solved.title')}</Title>
      <Text>{t('file.solved.body')}</Text>
      <Anchor component={Link} to="/cases">
        {t('file.solved.toCases')}
      </Anchor>
    </Stack>
  );
}
