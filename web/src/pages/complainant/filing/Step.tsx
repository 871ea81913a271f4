import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorSummary, type FieldError } from '../../../components/ErrorSummary';
import { useI18n } from '../../../i18n';
import { useFiling, useStepPath, STEPS, type StepName } from './context';
import { checkDraft, type FieldId } from './draft';
import { usePageTitle } from '../../../components/case/usePageTitle';

/** "Step 3 of 6": the checks page is part of step 1. */
function stepNumber(step: StepName): number {
  const shown = STEPS.filter((s) => s !== 'checks');
  return Math.max(1, shown.indexOf(step === 'checks' ? 'category' : step) + 1);
}

/** Per field, its error message as `file.error.<field>.<problem>`. */
export function useFieldErrors() {
  const { tDynamic } = useI18n();
  return (issues: { field: FieldId; problem: string }[]): FieldError[] =>
    issues.map((issue) => ({
      fieldId: issue.field,
      message: tDynamic(`file.error.${issue.field}.${issue.problem}`),
    }));
}

export function errorFor(errors: FieldError[], field: FieldId): string | undefined {
  return errors.find((error) => error.fieldId === field)?.message;
}

/**
 * A GOV.UK question page: the step, a heading that asks the question, the error summary, the
 * fields, and Back / Next. With ?change=1 (from "Check your answers") Next goes back there.
 */
export function Step({
  step,
  title,
  intro,
  fields,
  children,
  errors,
  setErrors,
  next,
}: {
  step: StepName;
  title: string;
  intro?: ReactNode;
  fields: readonly FieldId[];
  children: ReactNode;
  errors: FieldError[];
  setErrors(errors: FieldError[]): void;
  next?: StepName;
}) {
  const { t } = useI18n();
  const { draft } = useFiling();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const toErrors = useFieldErrors();
  const changing = params.get('change') === '1';
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle(title);
  const stepPath = useStepPath();
  // A new step is a new page: move focus and the view to its question, as a page load would.
  useEffect(() => {
    window.scrollTo(0, 0);
    heading.current?.focus();
  }, [step]);
  const index = STEPS.indexOf(step);
  const previous = index > 0 ? STEPS[index - 1] : undefined;
  const following = next ?? STEPS[index + 1];

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = toErrors(checkDraft(draft, fields));
    setErrors(found);
    if (found.length) return;
    if (changing) navigate(stepPath('check-answers'));
    else if (following) navigate(stepPath(following));
  }

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('file.stepOf', { step: stepNumber(step), total: STEPS.length - 1 })}
      </Text>
      <Title order={1} ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
        {title}
      </Title>
      <ErrorSummary errors={errors} />
      {intro}
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {children}
          <Group gap="sm" mt="sm">
            {(changing || previous) && (
              <Button
                variant="default"
                onClick={() => navigate(changing ? stepPath('check-answers') : stepPath(previous!))}
              >
                {t('common.back')}
              </Button>
            )}
            <Button type="submit">{t('common.next')}</Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
