import type { Deadline } from '../../workflows/index.ts';
import type { Locale } from '../users/schemas.ts';
import { en } from './templates/en.ts';
import type { Catalog, EventDetails, TemplateContext, TemplateName } from './templates/types.ts';
import { zhCN } from './templates/zh-CN.ts';

export type { TemplateName };

export const CATALOGS: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

/** Text a person wrote is quoted in full up to this length, so one email stays readable. */
const MAX_QUOTE = 2_000;

/** The case as a message needs it: loaded at send time, so the email tells the case as it is. */
export interface CaseFactsForMail {
  reference: string;
  state: string;
  deadlines: Deadline[];
  consumerBody: string | null;
  respondent: { name: string };
  context: { bodyReference: string | null; bodyDecision: string | null };
}

export interface RenderInput {
  template: TemplateName;
  locale: Locale;
  recipientName: string;
  caseFacts: CaseFactsForMail;
  /** The timeline entry the message is about (null for warnings, or when the journal is gone). */
  entry: { type: string; data: Record<string, unknown> } | null;
  /** For deadline messages: which clock; dueAt as an ISO string. */
  deadline: { kind: string; dueAt: string | null } | null;
  /** `${PUBLIC_URL}/cases/<id>`, when PUBLIC_URL is set. */
  caseUrl: string | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(en.templates, name);
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Renders one email in the reader's language: subject, plain text and HTML. */
export function renderMessage(input: RenderInput): RenderedMessage {
  const catalog = CATALOGS[input.locale] ?? en;
  const context = templateContext(catalog, input);
  const message = catalog.templates[input.template](context);
  const { layout } = catalog;
  const subject = oneLine(layout.subject(input.caseFacts.reference, message.subject));
  const facts: [string, string][] = [
    [layout.referenceLabel, input.caseFacts.reference],
    [layout.statusLabel, context.state],
  ];

  const text = [
    layout.greeting(input.recipientName),
    ...message.happened,
    `${layout.nextHeading}\n${message.next.join('\n')}`,
    [
      ...facts.map(([label, value]) => `${label}${layout.colon}${value}`),
      ...(input.caseUrl ? [`${layout.linkLabel}${layout.colon}${input.caseUrl}`] : []),
    ].join('\n'),
    `-- \n${layout.footer}`,
  ].join('\n\n');

  // Every value is escaped here, template text and user text alike: templates produce plain
  // text only, so nothing a complainant typed can become markup.
  const paragraph = (value: string) => `<p>${escapeHtml(value).replaceAll('\n', '<br>')}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(catalog.locale)}"><head><meta charset="utf-8">`,
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;color:#222;max-width:40em">',
    paragraph(layout.greeting(input.recipientName)),
    ...message.happened.map(paragraph),
    `<h3>${escapeHtml(layout.nextHeading)}</h3>`,
    ...message.next.map(paragraph),
    `<p>${facts
      .map(
        ([label, value]) =>
          `${escapeHtml(label)}${escapeHtml(layout.colon)}<strong>${escapeHtml(value)}</strong>`,
      )
      .join('<br>')}</p>`,
    ...(input.caseUrl
      ? [`<p><a href="${escapeHtml(input.caseUrl)}">${escapeHtml(layout.linkLabel)}</a></p>`]
      : []),
    `<hr><p style="font-size:12px;color:#666">${escapeHtml(layout.footer)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}

function templateContext(catalog: Catalog, input: RenderInput): TemplateContext {
  const { caseFacts } = input;
  // Running clocks, earliest first, so "next deadline" is the first entry.
  const running = caseFacts.deadlines
    .filter((d) => d.status === 'running' && d.dueAt)
    .sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!));
  const due: TemplateContext['due'] = {};
  for (const deadline of running) due[deadline.kind] ??= catalog.formatDate(deadline.dueAt!);

  return {
    reference: caseFacts.reference,
    recipientName: input.recipientName,
    state: catalog.states[caseFacts.state] ?? caseFacts.state,
    respondent: caseFacts.respondent.name,
    consumerBody: caseFacts.consumerBody ? catalog.consumerBody(caseFacts.consumerBody) : null,
    bodyReference: caseFacts.context.bodyReference,
    due,
    paused: caseFacts.deadlines.some((d) => d.status === 'paused'),
    event: eventDetails(catalog, input),
    deadline: input.deadline
      ? {
          kind:
            catalog.deadlineKinds[input.deadline.kind as Deadline['kind']] ?? input.deadline.kind,
          dueAt: input.deadline.dueAt ? catalog.formatDate(input.deadline.dueAt) : null,
        }
      : null,
  };
}

function eventDetails(catalog: Catalog, input: RenderInput): EventDetails {
  const data = input.entry?.data ?? {};
  const text = (key: string): string | undefined => {
    const value = data[key];
    if (typeof value !== 'string' || !value.trim()) return undefined;
    const trimmed = value.trim();
    return trimmed.length > MAX_QUOTE ? `${trimmed.slice(0, MAX_QUOTE)}…` : trimmed;
  };
  const label = (labels: Record<string, string>, value: unknown) =>
    typeof value === 'string' ? (labels[value] ?? value) : undefined;
  const details: EventDetails = {
    question: text('question'),
    answer: text('answer'),
    message: text('message'),
    remedy: text('remedy'),
    reason: text('reason'),
    note: text('note'),
    externalReference: text('externalReference'),
  };
  switch (input.entry?.type) {
    case 'ISSUE_RESPONSE':
      details.outcome = label(catalog.responseOutcomes, data.outcome);
      break;
    case 'RECORD_BODY_DECISION':
      details.decision = label(catalog.bodyDecisions, data.decision);
      break;
    case 'RECORD_LEGAL_OUTCOME':
      details.legalOutcome = label(catalog.legalOutcomes, data.outcome);
      break;
  }
  // A mediation that ran out decides "unresolved" without a decision event: read the case.
  if (input.template === 'bodyDecided' && !details.decision) {
    details.decision = label(catalog.bodyDecisions, input.caseFacts.context.bodyDecision);
  }
  return details;
}

export interface AccountRenderInput {
  locale: Locale;
  recipientName: string;
  link: string;
  linkIsRelative: boolean;
  expiresAt: string;
}

/** Renders the set-password email of an account opened on the reader's behalf. */
export function renderSetPasswordMessage(input: AccountRenderInput): RenderedMessage {
  const catalog = CATALOGS[input.locale] ?? en;
  const message = catalog.account.setPassword({
    recipientName: input.recipientName,
    link: input.link,
    linkIsRelative: input.linkIsRelative,
    expiresAt: catalog.formatDate(input.expiresAt),
  });
  const { layout } = catalog;
  const subject = oneLine(message.subject);
  const text = [
    layout.greeting(input.recipientName),
    ...message.paragraphs,
    `-- \n${layout.footer}`,
  ].join('\n\n');
  const paragraph = (value: string) => `<p>${escapeHtml(value).replaceAll('\n', '<br>')}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(catalog.locale)}"><head><meta charset="utf-8">`,
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;color:#222;max-width:40em">',
    paragraph(layout.greeting(input.recipientName)),
    ...message.paragraphs.map(paragraph),
    ...(input.linkIsRelative
      ? []
      : [`<p><a href="${escapeHtml(input.link)}">${escapeHtml(message.linkLabel)}</a></p>`]),
    `<hr><p style="font-size:12px;color:#666">${escapeHtml(layout.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** Header values must not carry line breaks. */
function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
