import type {
  AssigneeTemplate,
  ComplainantTemplate,
  DeadlineKind,
} from '../../../workflows/index.ts';
import type { Locale } from '../../users/schemas.ts';

/** Every kind of email: the workflow's notify templates plus the dispatcher's own warning. */
export type TemplateName = ComplainantTemplate | AssigneeTemplate | 'deadlineWarning';

/**
 * What the case change carried, as plain text in the reader's language where it is a code
 * (outcomes, decisions) and verbatim where a person wrote it (question, reason, ...).
 */
export interface EventDetails {
  question?: string;
  answer?: string;
  message?: string;
  remedy?: string;
  reason?: string;
  note?: string;
  /** ISSUE_RESPONSE outcome, translated. */
  outcome?: string;
  /** RECORD_BODY_DECISION decision, translated. */
  decision?: string;
  /** RECORD_LEGAL_OUTCOME outcome, translated. */
  legalOutcome?: string;
  externalReference?: string;
}

/**
 * Everything a template may use. Values are plain text: the layout escapes them for HTML, so
 * a template never writes markup and never has to think about escaping.
 */
export interface TemplateContext {
  reference: string;
  recipientName: string;
  /** The case's current state in plain words. */
  state: string;
  respondent: string;
  /** The consumer body's name in the reader's language, or null when there is none. */
  consumerBody: string | null;
  bodyReference: string | null;
  /** Due dates of the case's running clocks, formatted for the reader. */
  due: Partial<Record<DeadlineKind, string>>;
  /** True while the case's clocks are paused (waiting on the complainant). */
  paused: boolean;
  event: EventDetails;
  /** The clock a deadline message is about: its name and when it is or was due. */
  deadline: { kind: string; dueAt: string | null } | null;
}

/** A message in parts: the layout adds greeting, reference, status, link and footer. */
export interface MessageText {
  /** Short title; the layout adds the case reference. */
  subject: string;
  /** What happened, in plain words; one paragraph each. */
  happened: string[];
  /** What happens next and by when; one paragraph each. */
  next: string[];
}

/** All texts of one language. A translator edits one of these files and nothing else. */
export interface Catalog {
  locale: Locale;
  /** A date and time the reader understands, with its time zone. */
  formatDate(iso: string): string;
  /** Case states by dotted path (`platformReview.investigating`), in plain words. */
  states: Record<string, string>;
  deadlineKinds: Record<DeadlineKind, string>;
  responseOutcomes: Record<string, string>;
  bodyDecisions: Record<string, string>;
  legalOutcomes: Record<string, string>;
  /** A consumer body's name from its code (`12315`, `CFPB`, `FOS`, `ADR-DE`, ...). */
  consumerBody(code: string): string;
  layout: {
    subject(reference: string, title: string): string;
    greeting(name: string): string;
    /** Between a label and its value (`: ` in English, `：` in Chinese). */
    colon: string;
    nextHeading: string;
    referenceLabel: string;
    statusLabel: string;
    linkLabel: string;
    footer: string;
  };
  templates: Record<TemplateName, (c: TemplateContext) => MessageText>;
  /** Emails about the account rather than a case. */
  account: {
    /** An officer opened the account for the reader; the link sets its first password. */
    setPassword(c: AccountMailContext): AccountMessageText;
  };
}

export interface AccountMailContext {
  recipientName: string;
  /** Absolute when PUBLIC_URL is set, else the path on the Redress website. */
  link: string;
  linkIsRelative: boolean;
  /** When the link stops working, formatted for the reader. */
  expiresAt: string;
}

export interface AccountMessageText {
  subject: string;
  paragraphs: string[];
  linkLabel: string;
}
