// What the consumer body requires that the case lacks, as the dossier lists it. The rule is the
// escalation's own (workflows/requirements.ts): the dossier can never ask for more or less than
// ESCALATE's 422 and the case view's `escalation.missing` name, and says it in its language.
import { missingFacts, type FactCode, type WorkflowPolicy } from '../../workflows/index.ts';
import { REQUIRED_FACT_LABELS, labelFor } from '../../workflows/labels.ts';
import { complainantFactsOf, factsOf } from '../cases/facts.ts';
import type { StoredCase } from '../exports/document.ts';
import type { UserRecord } from '../users/model.ts';
import type { Locale } from './labels.ts';

export interface DossierMissing {
  fact: FactCode;
  /** The 422's English label, for logs and clients that read codes. */
  label: string;
  /** The same fact in the dossier's language, as printed. */
  note: string;
}

export function missingForBody(input: {
  policy: WorkflowPolicy;
  record: StoredCase;
  owner: UserRecord | null;
  at: string;
  locale: Locale;
}): DossierMissing[] {
  const { policy, record, owner, at, locale } = input;
  const facts = factsOf(record, complainantFactsOf(owner));
  return missingFacts(policy, { facts, context: record.context, at }).map(({ fact, label }) => ({
    fact,
    label,
    note: labelFor(REQUIRED_FACT_LABELS, fact, locale),
  }));
}
