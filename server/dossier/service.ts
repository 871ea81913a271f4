import { consumerBodyInfoFor, policyFor } from '../../workflows/index.ts';
import type { Category, WorkflowPolicy } from '../../workflows/index.ts';
import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  EVENT_LABELS,
  RESPONDENT_KIND_LABELS,
  RESPONSE_OUTCOME_LABELS,
  STATE_LABELS,
  bodyNameFor,
  labelFor,
} from '../../workflows/labels.ts';
import { timelinessOfCase } from '../../workflows/timeliness.ts';
import type { Clock } from '../clock.ts';
import type { CaseActor, CaseService } from '../cases/service.ts';
import { verifyChain } from '../cases/timeline.ts';
import { withoutNotes } from '../cases/notes.ts';
import { evidenceManifest, type StoredCase } from '../exports/document.ts';
import type { UserRecord } from '../users/model.ts';
import type { UserService } from '../users/service.ts';
import { dossierFormat, type DossierFormat } from './format.ts';
import { type Locale } from './labels.ts';
import { missingForBody } from './missing.ts';
import { printedTimeline } from './printing.ts';
import type { Dossier, DossierForm } from './schemas.ts';
import { contactOf, dossierSections, respondentOf } from './sections.ts';

export type { Dossier, DossierForm, DossierSection } from './schemas.ts';

export interface DossierServiceDeps {
  cases: CaseService;
  users: UserService;
  clock: Clock;
}

export type DossierService = ReturnType<typeof createDossierService>;

function formOf(code: string | null): DossierForm {
  if (code === '12315' || code === 'CFPB' || code === 'FTC') return code;
  return 'standard';
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

type Entry = NonNullable<StoredCase['timeline']>[number];

/** The platform's final response and the complainant's reply to it, as the dossier shows them. */
function responseParts(timeline: readonly Entry[], fmt: DossierFormat) {
  const { locale } = fmt;
  const response = timeline.findLast((entry) => entry.type === 'ISSUE_RESPONSE');
  const reply = response
    ? timeline.find(
        (entry) =>
          entry.seq > response.seq && ['ACCEPT_RESPONSE', 'REJECT_RESPONSE'].includes(entry.type),
      )
    : undefined;
  const outcome = response ? text(response.data.outcome) : null;
  return {
    response,
    platformResponse: response
      ? {
          at: response.at,
          atText: fmt.instant(response.at),
          by: response.actor,
          outcome,
          outcomeLabel: outcome ? labelFor(RESPONSE_OUTCOME_LABELS, outcome, locale) : null,
          remedy: text(response.data.remedy),
          message: text(response.data.message),
        }
      : null,
    complainantReply: reply
      ? {
          at: reply.at,
          atText: fmt.instant(reply.at),
          type: reply.type,
          typeLabel: labelFor(EVENT_LABELS, reply.type, locale),
          reason: text(reply.data.reason),
        }
      : null,
  };
}

/** The case's own fields, each code with its label beside it. */
function caseParts(record: StoredCase, fmt: DossierFormat, filedAt: string) {
  const { locale } = fmt;
  return {
    id: record._id.toHexString(),
    reference: record.reference,
    state: record.state,
    stateLabel: labelFor(STATE_LABELS, record.state, locale),
    category: record.category as Category,
    categoryLabel: labelFor(CATEGORY_LABELS, record.category, locale),
    jurisdiction: record.jurisdiction,
    jurisdictionLabel: fmt.region(record.jurisdiction),
    channel: record.channel,
    channelLabel: labelFor(CHANNEL_LABELS, record.channel, locale),
    urgent: record.urgent,
    filedAt,
    utcOffsetMinutes: fmt.offsetMinutes,
  };
}

/** When the case was filed, paid, answered and escalated. */
function datesOf(record: StoredCase, timeline: readonly Entry[], response: Entry | undefined) {
  const escalation = timeline.findLast((entry) => entry.type === 'ESCALATE');
  return {
    filedAt: new Date(record.filedAt).toISOString(),
    transactionAt: new Date(record.transaction.occurredAt).toISOString(),
    respondedAt: response?.at ?? null,
    escalatedAt: escalation?.at ?? null,
  };
}

/** The complainant, the company and the payment, as data with their printed forms beside. */
function partiesOf(
  record: StoredCase,
  owner: UserRecord | null,
  contact: ReturnType<typeof contactOf>,
  respondent: ReturnType<typeof respondentOf>,
  fmt: DossierFormat,
) {
  return {
    complainant: {
      id: record.ownerId.toHexString(),
      name: owner?.name ?? null,
      email: owner?.email ?? null,
      locale: owner?.locale ?? null,
      ...contact,
    },
    respondent: {
      name: record.respondent.name,
      kind: record.respondent.kind,
      kindLabel: labelFor(RESPONDENT_KIND_LABELS, record.respondent.kind, fmt.locale),
      ...respondent,
    },
    transaction: {
      occurredAt: new Date(record.transaction.occurredAt).toISOString(),
      reference: record.transaction.reference ?? null,
      amount: record.transaction.amount,
      amountText: fmt.money(record.transaction.amount),
    },
  };
}

function chainOf(record: StoredCase, timeline: readonly Entry[]): Dossier['chain'] {
  const verdict = verifyChain([...timeline]);
  return verdict.verified
    ? { verified: true, entries: timeline.length, lastHash: record.lastHash }
    : {
        verified: false,
        entries: timeline.length,
        lastHash: record.lastHash,
        brokenAt: verdict.brokenAt,
        problem: verdict.problem,
      };
}

/**
 * The body the dossier is for: the one stored on the case (fixed at escalation) wins over what
 * the policy would pick today; its name is the shared table's, in the dossier's language.
 * Before escalation the body clocks are still those of the body the case would go to.
 */
function bodyOf(policy: WorkflowPolicy, record: StoredCase, fmt: DossierFormat) {
  const code =
    record.consumerBody ??
    consumerBodyInfoFor(policy, record.jurisdiction, record.respondent.kind)?.code ??
    null;
  const consumerBody = record.consumerBody
    ? {
        code: record.consumerBody,
        name: bodyNameFor(record.consumerBody, fmt.locale, fmt.region) ?? record.consumerBody,
      }
    : null;
  return { code, consumerBody };
}

export function createDossierService(deps: DossierServiceDeps) {
  const { cases, users, clock } = deps;

  /**
   * The escalation dossier of a case: everything the consumer body of its jurisdiction asks
   * for, the body's own deadlines, the platform's final response and timeliness, the verified
   * timeline and the evidence manifest, all in the case's locale. Officers and compliance only
   * (the route enforces the roles); an unknown id is a 404.
   */
  async function build(actor: CaseActor, caseId: string): Promise<Dossier> {
    const record = (await cases.loadVisible(actor, caseId)) as StoredCase;
    const locale: Locale = record.locale === 'zh-CN' ? 'zh-CN' : 'en';
    const offset = policyFor(cases.policy, record.jurisdiction).utcOffsetMinutes;
    const fmt = dossierFormat(locale, record.jurisdiction, offset);
    const now = clock.now().toISOString();
    const { code, consumerBody } = bodyOf(cases.policy, record, fmt);
    const form = formOf(consumerBody?.code ?? null);
    const owner = await users.findById(record.ownerId.toHexString());
    const timeline = record.timeline ?? [];
    const { response, platformResponse, complainantReply } = responseParts(timeline, fmt);
    const dates = datesOf(record, timeline, response);
    const { filedAt, transactionAt: occurredAt } = dates;
    const evidence = evidenceManifest(record.evidence);
    const timeliness = timelinessOfCase(
      { ...record, consumerBody: code, deadlines: record.deadlines ?? [], timeline },
      cases.policy,
      now,
    );
    const contact = contactOf(owner, fmt);
    const respondent = respondentOf(record);
    // The dossier goes to the consumer body: internal notes stay out. The chain is still
    // verified whole, so `chain.entries` counts the notes too.
    const visibleTimeline = withoutNotes(timeline);
    const sections = dossierSections({
      form,
      fmt,
      record,
      owner,
      contact,
      respondent,
      evidence,
      timeliness,
      dates: { ...dates, occurredAt },
    });
    const missing = missingForBody({ policy: cases.policy, record, owner, at: now, locale });

    return {
      dossierVersion: 1,
      generatedAt: now,
      generatedAtText: fmt.instant(now),
      locale,
      format: { intlLocale: fmt.intlLocale, utcOffsetMinutes: offset },
      form,
      consumerBody,
      case: caseParts(record, fmt, filedAt),
      ...partiesOf(record, owner, contact, respondent, fmt),
      whatHappened: record.narrative,
      desiredResolution: record.desiredOutcome,
      platformResponse,
      complainantReply,
      dates,
      timeliness,
      evidence,
      timeline: visibleTimeline,
      printedTimeline: printedTimeline(visibleTimeline, fmt),
      chain: chainOf(record, timeline),
      missing,
      sections,
    };
  }

  return { build };
}
