// The CFPB Consumer Complaint Database CSV format, mapped onto Redress cases. Pure: no I/O, so
// every rule here is unit-tested, and docs/cfpb-mapping.md explains each table.
import type { Category, Deadline, RespondentKind, ResponseOutcome } from '../../workflows/index.ts';

/** The columns of the CFPB export, by their header text. Order in the file does not matter. */
export const CFPB_COLUMNS = [
  'Date received',
  'Product',
  'Sub-product',
  'Issue',
  'Sub-issue',
  'Consumer complaint narrative',
  'Company public response',
  'Company',
  'State',
  'ZIP code',
  'Tags',
  'Consumer consent provided?',
  'Submitted via',
  'Date sent to company',
  'Company response to consumer',
  'Timely response?',
  'Consumer disputed?',
  'Complaint ID',
] as const;
export type CfpbColumn = (typeof CFPB_COLUMNS)[number];
export type CfpbRow = Record<CfpbColumn, string>;

/**
 * Every product name the CFPB has published (current and retired), with the kind of company
 * that offers it. All of them are CFPB products, so the kind is always one the US policy sends
 * to the CFPB (`bank` or `platform`, never `merchant`, which would mean the FTC): depository
 * institutions and lenders are `bank`; money services, wallets, prepaid programs, credit
 * bureaus and debt collectors are non-bank financial companies, `platform`.
 */
export const CFPB_PRODUCTS: Record<string, { kind: RespondentKind; fallback: Category }> = {
  'bank account or service': { kind: 'bank', fallback: 'other' },
  'checking or savings account': { kind: 'bank', fallback: 'other' },
  'consumer loan': { kind: 'bank', fallback: 'other' },
  'credit card': { kind: 'bank', fallback: 'other' },
  'credit card or prepaid card': { kind: 'bank', fallback: 'other' },
  'credit reporting': { kind: 'platform', fallback: 'other' },
  'credit reporting, credit repair services, or other personal consumer reports': {
    kind: 'platform',
    fallback: 'other',
  },
  'credit reporting or other personal consumer reports': { kind: 'platform', fallback: 'other' },
  'debt collection': { kind: 'platform', fallback: 'other' },
  'debt or credit management': { kind: 'platform', fallback: 'other' },
  'money transfer, virtual currency, or money service': {
    kind: 'platform',
    fallback: 'payment_failed',
  },
  'money transfers': { kind: 'platform', fallback: 'payment_failed' },
  mortgage: { kind: 'bank', fallback: 'other' },
  'other financial service': { kind: 'platform', fallback: 'other' },
  'payday loan': { kind: 'bank', fallback: 'other' },
  'payday loan, title loan, or personal loan': { kind: 'bank', fallback: 'other' },
  'payday loan, title loan, personal loan, or advance loan': { kind: 'bank', fallback: 'other' },
  'prepaid card': { kind: 'platform', fallback: 'other' },
  'student loan': { kind: 'bank', fallback: 'other' },
  'vehicle loan or lease': { kind: 'bank', fallback: 'other' },
  'virtual currency': { kind: 'platform', fallback: 'payment_failed' },
};

/**
 * Issue and sub-issue wording → our category. The sub-issue rules run first because they are
 * more specific ("Managing an account" says little; "Deposits and withdrawals" says a lot);
 * the first rule that matches wins. Anything unmatched takes the product's fallback.
 */
export const SUB_ISSUE_RULES: readonly [RegExp, Category][] = [
  [/refund/i, 'refund_not_received'],
  [
    /did not (make|purchase)|don'?t recognize|without your (written )?(authorization|permission)|didn'?t apply/i,
    'unauthorized_transaction',
  ],
  [/hacked|account (was )?(taken over|compromised)/i, 'account_compromised'],
  [/problem accessing account|can'?t (log|sign) ?in|locked out/i, 'account_access'],
  [
    /overcharged|charged (for|fees)|fee problem|problem with fees|billing problem/i,
    'incorrect_charge',
  ],
  [/banking errors|balance/i, 'balance_discrepancy'],
  [
    /deposits (and|or) withdrawals|making or receiving payments|funds not handled|cashing a check|debit or atm card/i,
    'payment_failed',
  ],
  [/customer service|isn'?t resolving a dispute/i, 'poor_service'],
];

export const ISSUE_RULES: readonly [RegExp, Category][] = [
  [/refund/i, 'refund_not_received'],
  [
    /fraud or scam|unauthori[sz]ed transactions?|identity theft \/ fraud|received a loan you didn'?t apply for|lost or stolen/i,
    'unauthorized_transaction',
  ],
  [/fraud alerts or security freezes/i, 'account_compromised'],
  [
    /trouble using (your|the) card|problem getting a card|opening an account|closing (an|your) account|account opening, closing|mobile wallet account|unable to get your credit report/i,
    'account_access',
  ],
  [
    /purchase shown on your statement|company charging your account|fees or interest|unexpected or other fees|excessive fees|billing disputes|attempts? (to )?collect debt not owed|charged fees/i,
    'incorrect_charge',
  ],
  [/incorrect information on your report|credit limit changed/i, 'balance_discrepancy'],
  [
    /trouble during payment process|problem when making payments|money was not available when promised|problem with a purchase or transfer|other transaction problem|making\/receiving payments|problem adding money|payment wasn'?t credited|didn'?t receive money|funds being low/i,
    'payment_failed',
  ],
  [
    /customer service|communication tactics|dealing with your lender or servicer|can'?t contact lender|company'?s investigation|written notification about debt|threatened to contact someone|improper contact|other service problem|false statements/i,
    'poor_service',
  ],
];

/**
 * "Company response to consumer" → where the case ends up in our workflow. Relief (money or
 * otherwise) means the company gave the consumer something for the complaint: upheld, resolved.
 * An explanation alone, or no relief, is a response that rejects the complaint: closed.
 * "In progress" and "Untimely response" are still with the company: under review.
 */
export const COMPANY_RESPONSES: Record<
  string,
  { state: string; outcome: ResponseOutcome | null; relief: 'monetary' | 'non-monetary' | null }
> = {
  'closed with monetary relief': { state: 'resolved', outcome: 'upheld', relief: 'monetary' },
  'closed with non-monetary relief': {
    state: 'resolved',
    outcome: 'upheld',
    relief: 'non-monetary',
  },
  'closed with relief': { state: 'resolved', outcome: 'upheld', relief: null },
  'closed without relief': { state: 'closed', outcome: 'rejected', relief: null },
  'closed with explanation': { state: 'closed', outcome: 'rejected', relief: null },
  closed: { state: 'closed', outcome: null, relief: null },
  'in progress': { state: 'platformReview.investigating', outcome: null, relief: null },
  'untimely response': { state: 'platformReview.investigating', outcome: null, relief: null },
  // The newest rows of a live export may not have a response yet.
  '': { state: 'platformReview.investigating', outcome: null, relief: null },
};

/** The CFPB's clock: a company responds within 15 calendar days of receiving the complaint. */
export const CFPB_RESPONSE_DAYS = 15;
const DAY_MS = 86_400_000;

/** Shown when the CFPB record has no narrative (the consumer did not consent to publish it). */
export function placeholderNarrative(consent: string): string {
  return `(No narrative: the CFPB publishes a complaint's narrative only when the consumer consents to it; consent: ${consent || 'not recorded'}.)`;
}
export const PLACEHOLDER_DESIRED_OUTCOME =
  '(Not recorded: the CFPB database does not publish what the consumer asked for.)';

/** A case as the CFPB row describes it, before Redress gives it an id, owner and reference. */
export interface CfpbCase {
  sourceId: string;
  filedAt: Date;
  category: Category;
  respondent: { name: string; kind: RespondentKind };
  narrative: string;
  desiredOutcome: string;
  state: string;
  responseOutcome: ResponseOutcome | null;
  /** The consumer disputed the company's response ("Consumer disputed?" = Yes). */
  responseRejected: boolean;
  finalResponseMissed: boolean;
  /** When the case stopped (terminal states): the company's response, as far as the CSV says. */
  terminalAt: Date | null;
  deadlines: Deadline[];
  /** Everything the row said, kept in the sealed IMPORTED entry as the case's provenance. */
  provenance: Record<string, string | null>;
}

export type MapResult = { ok: true; value: CfpbCase } | { ok: false; problems: string[] };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A CFPB date: `2019-09-24` (the API and newer files) or `09/24/2019` (older downloads), as
 * midnight UTC. Impossible dates (`2019-02-30`) are refused rather than rolled over.
 */
export function parseCfpbDate(text: string): Date | null {
  const trimmed = text.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = ISO_DATE.exec(trimmed);
  const us = US_DATE.exec(trimmed);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [year, month, day] = [Number(us[3]), Number(us[1]), Number(us[2])];
  else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null;
  }
  return date;
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** Our category for a CFPB product, issue and sub-issue (see SUB_ISSUE_RULES, ISSUE_RULES). */
export function categoryFor(product: string, issue: string, subIssue: string): Category | null {
  const known = CFPB_PRODUCTS[normalise(product)];
  if (!known) return null;
  for (const [pattern, category] of SUB_ISSUE_RULES) if (pattern.test(subIssue)) return category;
  for (const [pattern, category] of ISSUE_RULES) if (pattern.test(issue)) return category;
  return known.fallback;
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/**
 * Maps one CSV row. Returns every problem of the row at once, so a bad row is reported whole
 * and skipped; nothing of it is written.
 */
export function mapCfpbRow(row: CfpbRow): MapResult {
  const problems: string[] = [];
  const sourceId = row['Complaint ID'].trim();
  if (!/^\d{1,12}$/.test(sourceId)) {
    problems.push(`Complaint ID "${row['Complaint ID']}" is not a number`);
  }
  const received = parseCfpbDate(row['Date received']);
  if (!received) problems.push(`Date received "${row['Date received']}" is not a valid date`);
  const sentText = row['Date sent to company'].trim();
  const sent = sentText === '' ? received : parseCfpbDate(sentText);
  if (!sent) problems.push(`Date sent to company "${sentText}" is not a valid date`);
  const product = CFPB_PRODUCTS[normalise(row.Product)];
  if (!product) {
    problems.push(
      row.Product.trim() === '' ? 'Product is empty' : `unknown product "${row.Product.trim()}"`,
    );
  }
  const company = row.Company.trim();
  if (company === '') problems.push('Company is empty');
  else if (company.length > 200) problems.push('Company is longer than 200 characters');
  const response = COMPANY_RESPONSES[normalise(row['Company response to consumer'])];
  if (!response) {
    problems.push(`unknown company response "${row['Company response to consumer'].trim()}"`);
  }
  const timely = normalise(row['Timely response?']);
  if (!['yes', 'no', ''].includes(timely)) {
    problems.push(`Timely response? "${row['Timely response?']}" is not Yes or No`);
  }
  const disputed = normalise(row['Consumer disputed?']);
  if (!['yes', 'no', 'n/a', ''].includes(disputed)) {
    problems.push(`Consumer disputed? "${row['Consumer disputed?']}" is not Yes, No or N/A`);
  }
  if (problems.length > 0 || !received || !sent || !product || !response) {
    return { ok: false, problems };
  }

  const category = categoryFor(row.Product, row.Issue, row['Sub-issue'])!;
  const missed =
    timely === 'no' || normalise(row['Company response to consumer']) === 'untimely response';
  const deadlines: Deadline[] =
    timely === ''
      ? []
      : [
          {
            kind: 'finalResponse',
            startedAt: sent.toISOString(),
            dueAt: new Date(sent.getTime() + CFPB_RESPONSE_DAYS * DAY_MS).toISOString(),
            status: missed ? 'missed' : 'met',
          },
        ];
  const terminal = response.state === 'resolved' || response.state === 'closed';
  const narrative = row['Consumer complaint narrative'].trim();
  const provenance: Record<string, string | null> = {
    complaintId: sourceId,
    dateReceived: received.toISOString().slice(0, 10),
    dateSentToCompany: sent.toISOString().slice(0, 10),
    product: row.Product.trim(),
    subProduct: orNull(row['Sub-product']),
    issue: orNull(row.Issue),
    subIssue: orNull(row['Sub-issue']),
    company,
    state: orNull(row.State),
    zipCode: orNull(row['ZIP code']),
    tags: orNull(row.Tags),
    consumerConsentProvided: orNull(row['Consumer consent provided?']),
    submittedVia: orNull(row['Submitted via']),
    companyResponseToConsumer: orNull(row['Company response to consumer']),
    companyPublicResponse: orNull(row['Company public response']),
    timelyResponse: orNull(row['Timely response?']),
    consumerDisputed: orNull(row['Consumer disputed?']),
    relief: response.relief,
  };
  return {
    ok: true,
    value: {
      sourceId,
      filedAt: received,
      category,
      respondent: { name: company, kind: product.kind },
      narrative:
        narrative === ''
          ? placeholderNarrative(row['Consumer consent provided?'].trim())
          : narrative,
      desiredOutcome: PLACEHOLDER_DESIRED_OUTCOME,
      state: response.state,
      responseOutcome: response.outcome,
      responseRejected: disputed === 'yes',
      finalResponseMissed: missed,
      terminalAt: terminal ? sent : null,
      deadlines,
      provenance,
    },
  };
}
