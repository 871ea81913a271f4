import { expect } from 'chai';
import type { AnyStateNode } from 'xstate';
import { CHANNELS } from '../../../server/cases/schemas.ts';
import { NOTE_ENTRY } from '../../../server/cases/notes.ts';
import {
  BODY_DECISIONS,
  CATEGORIES,
  complaintMachine,
  DEADLINE_KINDS,
  DEADLINE_UNITS,
  EVENT_TYPES,
  EVIDENCE_KINDS,
  FACT_CODES,
  FACT_LABELS,
  LEGAL_OUTCOMES,
  RESPONDENT_KINDS,
  RESPONSE_OUTCOMES,
  ROLES,
} from '../../../workflows/index.ts';
import { BODY_CLOCKS } from '../../../workflows/body-clocks.ts';
import {
  BODY_CLOCK_LABELS,
  BODY_DECISION_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CLOCK_STATUS_LABELS,
  DEADLINE_KIND_LABELS,
  DEADLINE_UNIT_LABELS,
  ENTRY_FIELD_LABELS,
  EVENT_LABELS,
  EVIDENCE_KIND_LABELS,
  LABEL_LOCALES,
  LABEL_TABLES,
  LEGAL_OUTCOME_LABELS,
  REQUIRED_FACT_LABELS,
  RESPONDENT_KIND_LABELS,
  RESPONSE_OUTCOME_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  labelFor,
  type Label,
  type LabelLocale,
} from '../../../workflows/labels.ts';
import { BODY_CLOCK_STATUSES } from '../../../workflows/timeliness.ts';
import { catalogs } from '../../../web/src/i18n/messages/index.ts';

/** Every state of the machine by dotted path, compound parents included. */
function statePaths(node: AnyStateNode, prefix = ''): string[] {
  return Object.entries(node.states ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...statePaths(child as AnyStateNode, path)];
  });
}

function expectLabelled(
  table: Readonly<Record<string, Label>>,
  codes: readonly string[],
  what: string,
) {
  for (const code of codes) {
    for (const locale of LABEL_LOCALES) {
      expect(table[code]?.[locale], `${what} ${code} in ${locale}`)
        .to.be.a('string')
        .and.match(/\S/);
    }
  }
}

describe('the label table', () => {
  it('names every state of the machine in both languages, and nothing else', () => {
    const paths = statePaths(complaintMachine.root);
    expect(paths).to.include('escalated.preparingSubmission');
    expectLabelled(STATE_LABELS, paths, 'state');
    expect(Object.keys(STATE_LABELS).sort()).to.deep.equal([...paths].sort());
  });

  it('names every timeline entry: each workflow event and the entries filing, evidence and notes write', () => {
    const types = [
      ...EVENT_TYPES,
      'FILED',
      'IMPORTED',
      'EVIDENCE_ADDED',
      'EVIDENCE_FLAGGED',
      NOTE_ENTRY,
    ];
    expectLabelled(EVENT_LABELS, types, 'event');
    expect(Object.keys(EVENT_LABELS).sort()).to.deep.equal([...types].sort());
  });

  it('names every category, channel, respondent kind, outcome, role, deadline and unit', () => {
    expectLabelled(CATEGORY_LABELS, CATEGORIES, 'category');
    expectLabelled(CHANNEL_LABELS, CHANNELS, 'channel');
    expectLabelled(RESPONDENT_KIND_LABELS, RESPONDENT_KINDS, 'respondent kind');
    expectLabelled(RESPONSE_OUTCOME_LABELS, RESPONSE_OUTCOMES, 'response outcome');
    expectLabelled(BODY_DECISION_LABELS, BODY_DECISIONS, 'body decision');
    expectLabelled(LEGAL_OUTCOME_LABELS, LEGAL_OUTCOMES, 'legal outcome');
    expectLabelled(ROLE_LABELS, ROLES, 'role');
    expectLabelled(DEADLINE_KIND_LABELS, DEADLINE_KINDS, 'deadline kind');
    expectLabelled(DEADLINE_UNIT_LABELS, [...DEADLINE_UNITS, 'months'], 'unit');
    expectLabelled(EVIDENCE_KIND_LABELS, EVIDENCE_KINDS, 'evidence kind');
    expectLabelled(CLOCK_STATUS_LABELS, BODY_CLOCK_STATUSES, 'clock status');
    const clockKeys = Object.values(BODY_CLOCKS).flatMap((clocks) => clocks.map((c) => c.key));
    expectLabelled(BODY_CLOCK_LABELS, clockKeys, 'body clock');
  });

  it('names every fact a consumer body may require, the 422 keeping its English words', () => {
    expectLabelled(REQUIRED_FACT_LABELS, FACT_CODES, 'fact');
    expect(Object.keys(REQUIRED_FACT_LABELS).sort()).to.deep.equal([...FACT_CODES].sort());
    // What clients have read in ESCALATE's 422 since the first release.
    expect(FACT_LABELS).to.deep.equal({
      'complainant.name': "complainant's name",
      'complainant.phone': "complainant's phone number",
      'complainant.postalAddress': "complainant's postal address",
      'complainant.regionAndPostalCode': "complainant's state or region and postal code",
      'respondent.name': 'respondent name',
      'respondent.addressOrRegistrationNumber':
        "respondent's address or registration number (in China, its unified social credit code)",
      category: 'product and issue (the category)',
      'transaction.date': 'transaction date',
      'transaction.amount': 'disputed amount',
      narrative: 'what happened',
      desiredOutcome: 'what the complainant asks for',
      evidence: 'at least one piece of evidence',
      priorComplaint: "the platform's final response, or its final-response deadline passing",
      finalResponseWithinSixMonths: "escalation within six months of the platform's final response",
      withinOneYearOfComplaint: 'escalation within one year of the complaint to the platform',
    });
  });

  it('names the fields of a timeline entry, the company details UPDATE_DETAILS gives too', () => {
    expectLabelled(
      ENTRY_FIELD_LABELS,
      ['question', 'answer', 'message', 'outcome', 'remedy', 'reason', 'note', 'decision'],
      'entry field',
    );
    expectLabelled(
      ENTRY_FIELD_LABELS,
      ['respondent.address', 'respondent.registrationNumber'],
      'entry field',
    );
  });

  it('has a Chinese label that is Chinese wherever the English one is a word', () => {
    for (const [name, table] of Object.entries(LABEL_TABLES)) {
      for (const [code, label] of Object.entries(table as Record<string, Label>)) {
        expect(label['zh-CN'], `${name}.${code}`).to.match(/[\u4e00-\u9fff]/);
        expect(label.en, `${name}.${code}`).not.to.match(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('never gives a reader the code, even for a code it does not know', () => {
    expect(labelFor(CATEGORY_LABELS, 'incorrect_charge', 'zh-CN')).to.equal('扣款金额错误');
    expect(labelFor(CATEGORY_LABELS, 'some_new_code', 'en')).to.equal('Other');
    expect(labelFor(STATE_LABELS, null, 'zh-CN')).to.equal('其他');
    expect(labelFor(CATEGORY_LABELS, 'toString', 'en')).to.equal('Other');
  });

  it('is what the web app shows: its catalogs take the words from the table', () => {
    const web = {
      en: { ...catalogs.caseWords.en, ...catalogs.complainant.en },
      'zh-CN': { ...catalogs.caseWords['zh-CN'], ...catalogs.complainant['zh-CN'] },
    } as Record<LabelLocale, Record<string, string>>;
    const shared: [string, Readonly<Record<string, Label>>][] = [
      ['category', CATEGORY_LABELS],
      ['channel', CHANNEL_LABELS],
      ['respondentKind', RESPONDENT_KIND_LABELS],
      ['responseOutcome', RESPONSE_OUTCOME_LABELS],
      ['bodyDecision', BODY_DECISION_LABELS],
      ['legalOutcome', LEGAL_OUTCOME_LABELS],
      ['deadline', DEADLINE_KIND_LABELS],
      ['evidenceKind', EVIDENCE_KIND_LABELS],
      ['timeline.type', EVENT_LABELS],
      ['timeline.actor', ROLE_LABELS],
      ['timeline.field', ENTRY_FIELD_LABELS],
      ['fact', REQUIRED_FACT_LABELS],
    ];
    for (const locale of LABEL_LOCALES) {
      for (const [prefix, table] of shared) {
        for (const [code, label] of Object.entries(table)) {
          expect(web[locale][`${prefix}.${code}`], `${locale} ${prefix}.${code}`).to.equal(
            label[locale],
          );
        }
      }
      // Staff read the table's state words; the complainant's own page speaks to them as "you".
      for (const [path, label] of Object.entries(STATE_LABELS)) {
        const staff = web[locale][`staffState.${path}`] ?? web[locale][`state.${path}`];
        expect(staff, `${locale} state ${path}`).to.equal(label[locale]);
      }
    }
  });
});
