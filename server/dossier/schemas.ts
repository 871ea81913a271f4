import { z } from 'zod';
import { Category, FactCode } from '../../workflows/index.ts';
import { Timeliness } from '../../workflows/timeliness.ts';
import { TimelineEntryView } from '../cases/schemas.ts';
import { SECTION_LABELS, type SectionKey } from './labels.ts';

// The JSON dossier (`GET /api/v1/cases/:id/dossier`, format=json). The service's `Dossier` type
// is inferred from these schemas, so the OpenAPI document cannot drift from what it builds.

export const DOSSIER_FORMS = ['12315', 'CFPB', 'FTC', 'standard'] as const;
/**
 * Which consumer body's form the dossier follows: 12315 asks for its six items in Chinese,
 * the CFPB and the FTC (and FOS, ADR bodies) for the CFPB-style set.
 */
export const DossierForm = z.enum(DOSSIER_FORMS);
export type DossierForm = z.infer<typeof DossierForm>;

const SECTION_KEYS = Object.keys(SECTION_LABELS) as [SectionKey, ...SectionKey[]];

export const DossierSection = z
  .object({
    key: z.enum(SECTION_KEYS),
    label: z.string(),
    lines: z.array(z.string()).describe("Printable lines, in the case's locale"),
  })
  .meta({ id: 'DossierSection' });
export type DossierSection = z.infer<typeof DossierSection>;

const Actor = z.object({ id: z.string(), role: z.string() });

/** One file of the evidence manifest (`evidenceManifest` in server/exports/document.ts). */
export const EvidenceManifestItemView = z
  .object({
    id: z.string(),
    kind: z.string(),
    description: z.string(),
    originalName: z.string().nullable(),
    mediaType: z.string().nullable(),
    size: z.number().int().nullable(),
    sha256: z.string().nullable(),
    uploadedBy: Actor.nullable(),
    uploadedAt: z.string().nullable(),
    flagged: z.boolean(),
  })
  .meta({ id: 'EvidenceManifestItem' });

/** One timeline entry in words, as the PDF prints it: labels, local time, no codes. */
export const PrintedEntry = z
  .object({
    seq: z.number().int(),
    when: z.string(),
    what: z.string(),
    who: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    details: z.array(z.string()),
    hash: z.string(),
  })
  .meta({ id: 'DossierPrintedEntry' });

// Fields named `...Label` or `...Text`, `sections`, `printedTimeline` and `missing[].note` are
// for display, in the dossier's locale and never a code; the others are the data they print.
export const DossierView = z
  .object({
    dossierVersion: z.literal(1),
    generatedAt: z.string(),
    generatedAtText: z.string(),
    locale: z.enum(['zh-CN', 'en']),
    format: z
      .object({ intlLocale: z.string(), utcOffsetMinutes: z.number().int() })
      .describe("How dates and amounts are printed: the body's conventions and clock"),
    form: DossierForm,
    consumerBody: z
      .object({ code: z.string(), name: z.string().describe("In the dossier's language") })
      .nullable(),
    case: z.object({
      id: z.string(),
      reference: z.string(),
      state: z.string(),
      stateLabel: z.string(),
      category: Category,
      categoryLabel: z.string(),
      jurisdiction: z.string(),
      jurisdictionLabel: z.string(),
      channel: z.string(),
      channelLabel: z.string(),
      urgent: z.boolean(),
      filedAt: z.string(),
      utcOffsetMinutes: z
        .number()
        .int()
        .describe(
          "The jurisdiction's clock (policy table): the dossier prints local times with it",
        ),
    }),
    complainant: z.object({
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
      locale: z.string().nullable(),
      phone: z.string().nullable(),
      postalAddress: z.string().nullable().describe("Printed in the dossier's conventions"),
    }),
    respondent: z.object({
      name: z.string(),
      kind: z.string(),
      kindLabel: z.string(),
      address: z.string().nullable(),
      registrationNumber: z.string().nullable(),
    }),
    transaction: z.object({
      occurredAt: z.string(),
      reference: z.string().nullable(),
      amount: z.object({ amountMinor: z.number().int(), currency: z.string() }),
      amountText: z.string(),
    }),
    whatHappened: z.string(),
    desiredResolution: z.string(),
    platformResponse: z
      .object({
        at: z.string(),
        atText: z.string(),
        by: Actor,
        outcome: z.string().nullable(),
        outcomeLabel: z.string().nullable(),
        remedy: z.string().nullable(),
        message: z.string().nullable(),
      })
      .nullable(),
    complainantReply: z
      .object({
        at: z.string(),
        atText: z.string(),
        type: z.string(),
        typeLabel: z.string(),
        reason: z.string().nullable(),
      })
      .nullable(),
    dates: z.object({
      filedAt: z.string(),
      transactionAt: z.string(),
      respondedAt: z.string().nullable(),
      escalatedAt: z.string().nullable(),
    }),
    timeliness: Timeliness.describe(
      "The platform's timely response and the body's own clocks, with their due dates",
    ),
    evidence: z.array(EvidenceManifestItemView),
    timeline: z.array(TimelineEntryView),
    printedTimeline: z.array(PrintedEntry),
    chain: z.object({
      verified: z.boolean(),
      entries: z.number().int(),
      lastHash: z.string(),
      brokenAt: z.number().int().optional(),
      problem: z.string().optional(),
    }),
    missing: z
      .array(
        z.object({
          fact: FactCode,
          label: z.string().describe("The 422's English label"),
          note: z.string().describe("The fact in the dossier's language, as printed"),
        }),
      )
      .describe(
        "What the body requires that the case lacks: the facts and labels of ESCALATE's 422 and the case view's `escalation.missing`",
      ),
    sections: z
      .array(DossierSection)
      .describe("The body's form, section by section, as the PDF prints it"),
  })
  .meta({ id: 'Dossier' });
export type Dossier = z.infer<typeof DossierView>;
