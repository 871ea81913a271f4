import { Alert, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { EvidencePicker } from '../../../components/case/EvidencePicker';
import type { FieldError } from '../../../components/ErrorSummary';
import { useI18n } from '../../../i18n';
import { useFiling } from './context';
import { NARRATIVE_MAX, OUTCOME_MAX } from './draft';
import { errorFor, Step } from './Step';

function Counted({
  id,
  label,
  hint,
  value,
  max,
  rows,
  onChange,
  error,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  max: number;
  rows: number;
  onChange(value: string): void;
  error: string | undefined;
}) {
  const { t, fmt } = useI18n();
  const length = value.trim().length;
  const count =
    length > max
      ? t('file.story.over', { over: fmt.number(length - max), max: fmt.number(max) })
      : t('file.story.count', { count: fmt.number(length), max: fmt.number(max) });
  return (
    <Textarea
      id={id}
      label={label}
      description={`${hint} ${count}`}
      autosize
      minRows={rows}
      maxRows={16}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
    />
  );
}

export function StoryStep() {
  const { t } = useI18n();
  const { draft, update } = useFiling();
  const [errors, setErrors] = useState<FieldError[]>([]);
  return (
    <Step
      step="story"
      title={t('file.story.title')}
      fields={['narrative', 'desiredOutcome']}
      errors={errors}
      setErrors={setErrors}
    >
      <Counted
        id="narrative"
        label={t('file.story.narrative')}
        hint={t('file.story.narrativeHint')}
        value={draft.narrative}
        max={NARRATIVE_MAX}
        rows={6}
        onChange={(narrative) => update({ narrative })}
        error={errorFor(errors, 'narrative')}
      />
      <Counted
        id="desiredOutcome"
        label={t('file.story.outcome')}
        hint={t('file.story.outcomeHint')}
        value={draft.desiredOutcome}
        max={OUTCOME_MAX}
        rows={3}
        onChange={(desiredOutcome) => update({ desiredOutcome })}
        error={errorFor(errors, 'desiredOutcome')}
      />
    </Step>
  );
}

export function EvidenceStep() {
  const { t } = useI18n();
  const { files, setFiles } = useFiling();
  const [errors, setErrors] = useState<FieldError[]>([]);
  return (
    <Step
      step="evidence"
      title={t('file.evidence.title')}
      intro={
        <>
          <Text>{t('file.evidence.intro')}</Text>
          <Alert color="blue" variant="outline">
            <Text>{t('file.evidence.memory')}</Text>
          </Alert>
        </>
      }
      fields={[]}
      errors={errors}
      setErrors={setErrors}
    >
      <EvidencePicker files={files} onChange={setFiles} />
    </Step>
  );
}
