import { Alert, Anchor, List } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n';

export interface FieldError {
  /** The id of the field's input, which the summary links to. */
  fieldId: string;
  message: string;
}

/**
 * The GOV.UK error summary: at the top of the form, focused when it appears, each error a
 * link that moves focus to its field.
 */
export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const count = errors.length;
  useEffect(() => {
    if (count > 0) ref.current?.focus();
  }, [count, errors]);
  if (count === 0) return null;
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="red"
      variant="outline"
      role="alert"
      aria-labelledby="error-summary-title"
      title={<span id="error-summary-title">{t('errors.summary')}</span>}
      mb="md"
    >
      <List size="sm">
        {errors.map((error) => (
          <List.Item key={error.fieldId}>
            <Anchor
              href={`#${error.fieldId}`}
              c="red.9"
              onClick={(event) => {
                event.preventDefault();
                document.getElementById(error.fieldId)?.focus();
              }}
            >
              {error.message}
            </Anchor>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** zod issues → one message per field, keyed by the field's input id. */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  idFor: (path: string) => string = (path) => path,
): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const fieldId = idFor(issue.path.map(String).join('.'));
    if (seen.has(fieldId)) continue;
    seen.add(fieldId);
    errors.push({ fieldId, message: issue.message });
  }
  return errors;
}
