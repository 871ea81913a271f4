import {
  Anchor,
  Button,
  DataList,
  Group,
  Progress,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { toMajor, parseAmount } from '../../../components/case/money';
import { problemText } from '../../../components/case/queries';
import { uploadAll, type PickedFile } from '../../../components/case/upload';
import { ErrorSummary, type FieldError } from '../../../components/ErrorSummary';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useI18n } from '../../../i18n';
import { useFiling, useStepPath, type StepName } from './context';
import { checkDraft, clearDraft, toRequest, type FieldId } from './draft';
import { countryName } from './places';
import { useFieldErrors } from './Step';
import { usePageTitle } from '../../../components/case/usePageTitle';

interface Row {
  field: FieldId | 'files';
  label: string;
  value: string;
  step: StepName;
}

function useRows(): Row[] {
  const { t, tDynamic, lang, fmt } = useI18n();
  const { draft, files } = useFiling();
  const minor = draft.currency ? parseAmount(draft.amount, draft.currency) : null;
  const none = t('common.none');
  return [
    {
      field: 'category',
      label: t('file.category.label'),
      step: 'category',
      value: draft.category ? tDynamic(`category.${draft.category}`) : '',
    },
    {
      field: 'companyName',
      label: t('file.company.name'),
      step: 'company',
      value: draft.companyName.trim(),
    },
    {
      field: 'companyKind',
      label: t('file.company.kind'),
      step: 'company',
      value: draft.companyKind ? tDynamic(`respondentKind.${draft.companyKind}`) : '',
    },
    {
      field: 'country',
      label: t('file.company.country'),
      step: 'company',
      value: draft.country ? countryName(lang, draft.country) : '',
    },
    ...(draft.companyAddress.trim()
      ? [
          {
            field: 'companyAddress' as const,
            label: t('file.company.address'),
            step: 'company' as const,
            value: draft.companyAddress.trim(),
          },
        ]
      : []),
    ...(draft.companyRegistration.trim()
      ? [
          {
            field: 'companyRegistration' as const,
            label: t('file.company.registration'),
            step: 'company' as const,
            value: draft.companyRegistration.trim(),
          },
        ]
      : []),
    {
      field: 'date',
      label: t('file.transaction.date'),
      step: 'transaction',
      value: draft.date ? fmt.date(`${draft.date}T12:00:00`) : '',
    },
    {
      field: 'amount',
      label: t('file.transaction.amount'),
      step: 'transaction',
      value:
        minor !== null ? fmt.money(toMajor(minor, draft.currency), draft.currency) : draft.amount,
    },
    {
      field: 'reference',
      label: t('file.transaction.reference'),
      step: 'transaction',
      value: draft.reference.trim() || none,
    },
    {
      field: 'narrative',
      label: t('file.story.narrative'),
      step: 'story',
      value: draft.narrative.trim(),
    },
    {
      field: 'desiredOutcome',
      label: t('file.story.outcome'),
      step: 'story',
      value: draft.desiredOutcome.trim(),
    },
    {
      field: 'files',
      label: t('evidence.files'),
      step: 'evidence',
      value: files.length
        ? files.map((f) => `${f.file.name} (${tDynamic(`evidenceKind.${f.kind}`)})`).join('\n')
        : none,
    },
  ];
}

function Uploads({ files }: { files: PickedFile[] }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" aria-live="polite">
      <Title order={2}>{t('file.check.uploading')}</Title>
      {files.map((item) => (
        <Stack key={item.id} gap={2}>
          <Text size="sm">
            {item.file.name}:{' '}
            {item.status === 'done'
              ? t('evidence.uploaded')
              : item.status === 'failed'
                ? t('evidence.failed', { detail: item.error ?? '' })
                : t('evidence.uploading', { percent: Math.round(item.progress * 100) })}
          </Text>
          <Progress
            value={Math.round(item.progress * 100)}
            color={item.status === 'failed' ? 'red.9' : 'blue.8'}
            aria-label={t('evidence.progress', { name: item.file.name })}
          />
        </Stack>
      ))}
    </Stack>
  );
}

/** The GOV.UK summary list: each answer with a Change link to its step. */
function Summary({ rows }: { rows: Row[] }) {
  const stepPath = useStepPath();
  const { t } = useI18n();
  return (
    <DataList orientation="vertical" withDivider gap="sm">
      {rows.map((row) => (
        <DataList.Item key={row.field}>
          <DataList.ItemLabel fw={700}>{row.label}</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group justify="space-between" align="start" wrap="nowrap" gap="sm">
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{row.value}</Text>
              <Anchor
                component={Link}
                id={`change-${row.field}`}
                to={`${stepPath(row.step)}?change=1`}
              >
                {t('common.change')}
                <VisuallyHidden component="span"> {row.label}</VisuallyHidden>
              </Anchor>
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

export function CheckAnswers() {
  const { t, lang } = useI18n();
  usePageTitle(t('file.check.title'));
  const { userId, draft, files, setFiles, onBehalf } = useFiling();
  const stepPath = useStepPath();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toErrors = useFieldErrors();
  const rows = useRows();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    const issues = checkDraft(
      draft,
      rows.map((row) => row.field).filter((f) => f !== 'files'),
    );
    const found = toErrors(issues).map((error) => ({
      ...error,
      fieldId: `change-${error.fieldId}`,
    }));
    setErrors(found);
    setFailure(null);
    if (found.length) return;
    setBusy(true);
    try {
      // For someone else, the case is in their language and says how they came to us.
      const body = onBehalf
        ? {
            ...toRequest(draft, onBehalf.locale),
            channel: onBehalf.channel,
            complainantId: onBehalf.complainantId,
          }
        : toRequest(draft, lang);
      const filed = await unwrap(api.POST('/api/v1/cases', { body }));
      // The case exists from here on: a reload must not offer to file it again.
      clearDraft(userId);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      const update = (id: string, change: Partial<PickedFile>) =>
        setFiles((list) => list.map((f) => (f.id === id ? { ...f, ...change } : f)));
      const uploaded = await uploadAll(filed.id, files, update, (e) => problemText(e, t));
      if (uploaded) setFiles([]);
      // An officer goes on working the case; a complainant sees the confirmation.
      navigate(onBehalf ? `/cases/${filed.id}` : `/file/done/${filed.id}`, { replace: true });
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  }

  return (
    <Stack gap="md">
      <Title order={1}>{t('file.check.title')}</Title>
      <ErrorSummary errors={errors} />
      <ProblemAlert error={failure} />
      <Summary rows={rows} />
      {busy && files.length > 0 && <Uploads files={files} />}
      <Text>{t('file.check.declaration')}</Text>
      <Group gap="sm">
        <Button variant="default" onClick={() => navigate(stepPath('evidence'))} disabled={busy}>
          {t('common.back')}
        </Button>
        <Button onClick={() => void submit()} loading={busy}>
          {t('file.check.submit')}
        </Button>
      </Group>
    </Stack>
  );
}
