import { consumerBodyInfoFor, policyFor } from '../../workflows/index.ts';
import type { Category } from '../../workflows/index.ts';
import type { Clock } from '../clock.ts';
import type { CaseActor, CaseService } from '../cases/service.ts';
import { verifyChain } from '../cases/timeline.ts';
import { withoutNotes } from '../cases/notes.ts';
import { evidenceManifest, type StoredCase } from '../exports/document.ts';
import type { UserService } from '../users/service.ts';
import {
  CATEGORY_LABELS,
  EVIDENCE_KIND_LABELS,
  OUTCOME_LABELS,
  RESPONDENT_KIND_LABELS,
  SECTION_LABELS,
  UI,
  field,
  labelOf,
  say,
  type Locale,
  type SectionKey,
} from './labels.ts';
import type { Dossier, DossierForm, DossierSection } from './schemas.ts';

export type { Dossier, DossierForm, DossierSection } from './schemas.ts';

export interface DossierServiceDeps {
  cases: CaseService;
  users: UserService;
  clock: Clock;
}

export type DossierService = ReturnType<typeof createDossierService>;

/** `2026-11-01 18:00 (UTC+8)`: local time of the jurisdiction, which is what a body reads. */
export function formatInstant(iso: string, offsetMinutes: number): string {
  const shifted = new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offsetMinutes) / 60);
  const minutes = Math.abs(offsetMinutes) % 60;
  const zone = `UTC${sign}${hours}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} (${zone})`;
}

/** `¥1,299.00` / `$12.50`: minor units divided by the currency's own number of decimals. */
export function formatMoney(
  amount: { amountMinor: number; currency: string },
  locale: Locale,
): string {
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency: amount.currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount.amountMinor / 10 ** digits);
  } catch {
    return `${amount.amountMinor} (minor units) ${amount.currency}`;
  }
}

function formOf(code: string | null): DossierForm {
  if (code === '12315' || code === 'CFPB' || code === 'FTC') return code;
  return 'standard';
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function createDossierService(deps: DossierServiceDeps) {
  const { cases, users, clock } = deps;

  /**
   * The escalation dossier of a case: everything the consumer body of its jurisdiction asks
   * for, the platform's final response, the verified timeline and the evidence manifest.
   * Officers and compliance only (the route enforces the roles); an unknown id is a 404.
   */
  async function build(actor: CaseActor, caseId: string): Promise<Dossier> {
    const record = (await cases.loadVisible(actor, caseId)) as StoredCase;
    const locale: Locale = record.locale === 'zh-CN' ? 'zh-CN' : 'en';
    const offset = policyFor(cases.policy, record.jurisdiction).utcOffsetMinutes;
    const when = (iso: string) => formatInstant(iso, offset);
    // The body stored on the case (fixed at escalation) wins over what the policy would pick
    // today; the policy only supplies its display name.
    const policyBody = consumerBodyInfoFor(
      cases.policy,
      record.jurisdiction,
      record.respondent.kind,
    );
    const consumerBody = record.consumerBody
      ? {
          code: record.consumerBody,
          name: policyBody?.code === record.consumerBody ? policyBody.name : record.consumerBody,
        }
      : null;
    const form = formOf(consumerBody?.code ?? null);

    const owner = await users.findById(record.ownerId.toHexString());
    const timeline = record.timeline ?? [];
    const lastOf = (types: string[]) => timeline.findLast((entry) => types.includes(entry.type));
    const response = lastOf(['ISSUE_RESPONSE']);
    const reply = response
      ? timeline.find(
          (entry) =>
            entry.seq > response.seq && ['ACCEPT_RESPONSE', 'REJECT_RESPONSE'].includes(entry.type),
        )
      : undefined;
    const escalation = lastOf(['ESCALATE']);
    const occurredAt = new Date(record.transaction.occurredAt).toISOString();
    const filedAt = new Date(record.filedAt).toISOString();
    const evidence = evidenceManifest(record.evidence);
    const verdict = verifyChain(timeline);
    const amountText = formatMoney(record.transaction.amount, locale);
    const categoryLabel = labelOf(CATEGORY_LABELS, record.category, locale);

    const missing: { field: string; note: string }[] = [];
    if (form === '12315') {
      missing.push({ field: 'respondent.address', note: say(UI.missingAddress, locale) });
    }
    if (evidence.length === 0) {
      missing.push({ field: 'evidence', note: say(UI.missingEvidence, locale) });
    }

    const line = (label: { 'zh-CN': string; en: string }, value: string) =>
      field(label, locale, value);
    const sections: DossierSection[] = [];
    const section = (key: SectionKey, lines: string[]) =>
      sections.push({ key, label: SECTION_LABELS[key][locale], lines });

    section('complainant', [
      line(UI.name, owner?.name ?? '—'),
      line(UI.email, owner?.email ?? '—'),
      line(UI.account, record.ownerId.toHexString()),
    ]);
    section('respondent', [
      line(UI.companyName, record.respondent.name),
      line(UI.respondentKind, labelOf(RESPONDENT_KIND_LABELS, record.respondent.kind, locale)),
      ...(form === '12315' ? [line(UI.address, say(UI.notCollected, locale))] : []),
    ]);
    if (form !== '12315') {
      section('product', [
        line(UI.product, say(UI.productValue, locale)),
        line(UI.issue, categoryLabel),
      ]);
    }
    section('transaction', [
      line(UI.occurredAt, when(occurredAt)),
      line(UI.amount, amountText),
      ...(record.transaction.reference
        ? [line(UI.transactionReference, record.transaction.reference)]
        : []),
    ]);
    section('whatHappened', [record.narrative]);
    section('desiredResolution', [record.desiredOutcome]);
    if (form !== '12315') {
      section('dates', [
        line(UI.occurredAt, when(occurredAt)),
        line(UI.filedAt, when(filedAt)),
        ...(response ? [line(UI.respondedAt, when(response.at))] : []),
        ...(escalation ? [line(UI.escalatedAt, when(escalation.at))] : []),
      ]);
    }
    section(
      'evidence',
      evidence.length === 0
        ? [say(UI.noEvidence, locale)]
        : [
            say(UI.evidenceCount, locale, { n: evidence.length }),
            ...evidence.map(
              (item, index) =>
                `${index + 1}. ${field(EVIDENCE_KIND_LABELS[item.kind] ?? { 'zh-CN': item.kind, en: item.kind }, locale, item.description || item.originalName || item.id)}`,
            ),
          ],
    );

    return {
      dossierVersion: 1,
      generatedAt: clock.now().toISOString(),
      locale,
      form,
      consumerBody,
      case: {
        id: record._id.toHexString(),
        reference: record.reference,
        state: record.state,
        category: record.category as Category,
        categoryLabel,
        jurisdiction: record.jurisdiction,
        channel: record.channel,
        urgent: record.urgent,
        filedAt,
        utcOffsetMinutes: offset,
      },
      complainant: {
        id: record.ownerId.toHexString(),
        name: owner?.name ?? null,
        email: owner?.email ?? null,
        locale: owner?.locale ?? null,
      },
      respondent: { name: record.respondent.name, kind: record.respondent.kind, address: null },
      transaction: {
        occurredAt,
        reference: record.transaction.reference ?? null,
        amount: record.transaction.amount,
        amountText,
      },
      whatHappened: record.narrative,
      desiredResolution: record.desiredOutcome,
      platformResponse: response
        ? {
            at: response.at,
            by: response.actor,
            outcome: text(response.data.outcome),
            outcomeLabel: text(response.data.outcome)
              ? labelOf(OUTCOME_LABELS, String(response.data.outcome), locale)
              : null,
            remedy: text(response.data.remedy),
            message: text(response.data.message),
          }
        : null,
      complainantReply: reply
        ? { at: reply.at, type: reply.type, reason: text(reply.data.reason) }
        : null,
      dates: {
        filedAt,
        transactionAt: occurredAt,
        respondedAt: response?.at ?? null,
        escalatedAt: escalation?.at ?? null,
      },
      evidence,
      // The dossier goes to the consumer body: internal notes stay out. The chain is still
      // verified whole, so `chain.entries` counts the notes too.
      timeline: withoutNotes(timeline),
      chain: verdict.verified
        ? { verified: true, entries: timeline.length, lastHash: record.lastHash }
        : {
            verified: false,
            entries: timeline.length,
            lastHash: record.lastHash,
            brokenAt: verdict.brokenAt,
            problem: verdict.problem,
          },
      missing,
      sections,
    };
  }

  return { build };
}
