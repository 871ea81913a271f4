// The words for the workflow's codes, in the two languages Redress speaks: one table read by the
// escalation dossier, the emails and the web app, so a state or an outcome is called the same
// everywhere and no reader ever sees a code. Data only, with type-only imports: the web app
// bundles this file as it is (web/src/i18n/messages/case.ts builds its catalog keys from it).
//
// Labels are neutral (third person), fit for a document sent to a consumer body. A surface that
// speaks to the complainant in the second person ("waiting for your answer") says so itself.
// test/unit/workflows/labels.test.ts fails when any code of the machine lacks a label.
import type { BodyDecision, EventType, LegalOutcome, ResponseOutcome } from './events.ts';
import type { DeadlineKind, DeadlineUnit, FactCode } from './policy.ts';
import type { Category, EvidenceKind, RespondentKind, Role } from './taxonomy.ts';

export const LABEL_LOCALES = ['zh-CN', 'en'] as const;
export type LabelLocale = (typeof LABEL_LOCALES)[number];
export type Label = Readonly<Record<LabelLocale, string>>;

/** Timeline entries that are not workflow events: written by filing, import, evidence, notes. */
export type RecordEntryType = 'FILED' | 'IMPORTED' | 'EVIDENCE_ADDED' | 'EVIDENCE_FLAGGED' | 'NOTE';
export type TimelineEntryType = EventType | RecordEntryType;

/** How a case came in (server/cases/schemas.ts CHANNELS). */
export type ChannelCode = 'web' | 'app' | 'email' | 'phone' | 'letter' | 'import';

const l = (zh: string, en: string): Label => Object.freeze({ 'zh-CN': zh, en });

/** Every state of the machine by dotted path (complaint-machine.ts), the compound parents too. */
export type StatePath =
  | 'filed'
  | 'platformReview'
  | 'platformReview.investigating'
  | 'platformReview.awaitingComplainant'
  | 'platformReview.awaitingBank'
  | 'responseIssued'
  | 'responseIssued.awaitingReply'
  | 'responseIssued.rejected'
  | 'escalated'
  | 'escalated.preparingSubmission'
  | 'escalated.submitted'
  | 'escalated.decided'
  | 'legalReferral'
  | 'resolved'
  | 'withdrawn'
  | 'closed';

export const STATE_LABELS: Readonly<Record<StatePath, Label>> = Object.freeze({
  filed: l('已收到，等待审核', 'Received, waiting for review'),
  platformReview: l('平台审核中', 'Being reviewed by the platform'),
  'platformReview.investigating': l('调查中', 'Being investigated'),
  'platformReview.awaitingComplainant': l('等待投诉人答复', 'Waiting for the complainant'),
  'platformReview.awaitingBank': l('等待银行回复', 'Waiting for the bank'),
  responseIssued: l('平台已答复', 'Final response issued'),
  'responseIssued.awaitingReply': l('已答复，等待投诉人意见', 'Response issued, awaiting reply'),
  'responseIssued.rejected': l('投诉人不接受答复', 'Response rejected by the complainant'),
  escalated: l('已申请外部处理', 'Escalated to the consumer body'),
  'escalated.preparingSubmission': l(
    '已申请外部处理：正在准备提交材料',
    'Escalated: preparing the submission',
  ),
  'escalated.submitted': l('受理机构处理中', 'With the consumer body'),
  'escalated.decided': l('受理机构已作出决定', 'Decided by the consumer body'),
  legalReferral: l('已转法律程序', 'Referred for legal action'),
  resolved: l('已解决', 'Resolved'),
  withdrawn: l('已撤回', 'Withdrawn'),
  closed: l('已结案', 'Closed'),
});

/** What each timeline entry records, in the past tense. */
export const EVENT_LABELS: Readonly<Record<TimelineEntryType, Label>> = Object.freeze({
  FILED: l('已提交投诉', 'Complaint filed'),
  IMPORTED: l('投诉已导入', 'Complaint imported'),
  EVIDENCE_ADDED: l('已添加证据', 'Evidence added'),
  EVIDENCE_FLAGGED: l('证据未通过完整性校验', 'Evidence failed an integrity check'),
  NOTE: l('内部备注', 'Internal note'),
  TRIAGE_ACCEPT: l('已受理审核', 'Accepted for review'),
  TRIAGE_REJECT: l('不予受理', 'Not accepted for review'),
  ASSIGN: l('已分配给处理专员', 'Given to a case officer'),
  REQUEST_INFO: l('要求补充信息', 'More information asked for'),
  PROVIDE_INFO: l('已补充信息', 'Information sent'),
  REFER_TO_BANK: l('已转交银行', 'Sent to the bank'),
  BANK_RESPONDED: l('银行已回复', 'The bank answered'),
  ISSUE_HOLDING_RESPONSE: l('延期答复', 'Holding response: more time needed'),
  ISSUE_RESPONSE: l('平台已作出最终答复', 'Final response issued'),
  ACCEPT_RESPONSE: l('投诉人接受答复', 'Response accepted'),
  REJECT_RESPONSE: l('投诉人不接受答复', 'Response rejected'),
  ESCALATE: l('申请外部处理', 'Escalated to the consumer body'),
  RECORD_SUBMISSION: l('已提交受理机构', 'Submitted to the consumer body'),
  RECORD_BODY_DECISION: l('受理机构已作出决定', 'The consumer body decided'),
  REFER_TO_LEGAL: l('已转法律程序', 'Referred for legal action'),
  RECORD_LEGAL_OUTCOME: l('已记录法律程序结果', 'Legal outcome recorded'),
  CLOSE: l('已结案', 'Case closed'),
  WITHDRAW: l('投诉已撤回', 'Complaint withdrawn'),
  REOPEN: l('已重新处理', 'Case reopened'),
  DEADLINE_PASSED: l('期限已届满', 'A deadline passed'),
  UPDATE_DETAILS: l('已补充被投诉人信息', 'Company details completed'),
});

export const CATEGORY_LABELS: Readonly<Record<Category, Label>> = Object.freeze({
  payment_failed: l('支付失败', 'Payment failed'),
  unauthorized_transaction: l('非本人操作的交易', 'Unauthorized transaction'),
  refund_not_received: l('退款未到账', 'Refund not received'),
  refund_amount_mismatch: l('退款金额不符', 'Refund amount does not match'),
  incorrect_charge: l('扣款金额错误', 'Incorrect charge'),
  balance_discrepancy: l('余额不符', 'Balance discrepancy'),
  account_access: l('无法登录账户', 'Cannot access the account'),
  account_compromised: l('账户被盗', 'Account compromised'),
  merchant_refused_payment: l('商户拒收付款', 'Merchant refused the payment'),
  poor_service: l('服务差', 'Poor service'),
  other: l('其他问题', 'Other'),
});

export const CHANNEL_LABELS: Readonly<Record<ChannelCode, Label>> = Object.freeze({
  web: l('网页', 'Web'),
  app: l('应用', 'App'),
  email: l('邮件', 'Email'),
  phone: l('电话', 'Phone'),
  letter: l('信件', 'Letter'),
  import: l('导入', 'Import'),
});

export const RESPONDENT_KIND_LABELS: Readonly<Record<RespondentKind, Label>> = Object.freeze({
  platform: l('支付平台或电子钱包', 'Payment platform or e-wallet'),
  merchant: l('商户', 'Merchant'),
  bank: l('银行或发卡机构', 'Bank or card issuer'),
});

export const RESPONSE_OUTCOME_LABELS: Readonly<Record<ResponseOutcome, Label>> = Object.freeze({
  upheld: l('投诉成立', 'Upheld'),
  partially_upheld: l('部分成立', 'Partly upheld'),
  rejected: l('投诉不成立', 'Not upheld'),
});

export const BODY_DECISION_LABELS: Readonly<Record<BodyDecision, Label>> = Object.freeze({
  settled: l('已和解', 'Settled'),
  upheld: l('支持投诉', 'Complaint upheld'),
  rejected: l('驳回投诉', 'Complaint not upheld'),
  unresolved: l('未达成调解协议', 'No agreement reached'),
});

export const LEGAL_OUTCOME_LABELS: Readonly<Record<LegalOutcome, Label>> = Object.freeze({
  settled: l('已和解', 'Settled'),
  judgment_for_complainant: l('判决投诉人胜诉', 'Judgment for the complainant'),
  judgment_for_respondent: l('判决被投诉人胜诉', 'Judgment for the company'),
  discontinued: l('已终止', 'Discontinued'),
});

/** Who acted: the role of a timeline entry's actor. */
export const ROLE_LABELS: Readonly<Record<Role, Label>> = Object.freeze({
  complainant: l('投诉人', 'Complainant'),
  officer: l('处理专员', 'Case officer'),
  compliance: l('合规人员', 'Compliance'),
  admin: l('管理员', 'Administrator'),
  system: l('Redress（自动）', 'Redress (automatic)'),
});

// Noun phrases, so a sentence can say "the acknowledgement deadline" (the emails do).
export const DEADLINE_KIND_LABELS: Readonly<Record<DeadlineKind, Label>> = Object.freeze({
  acknowledge: l('确认收到投诉', 'Acknowledgement'),
  finalResponse: l('最终答复', 'Final response'),
  bodyAcceptance: l('受理机构受理', 'Acceptance by the consumer body'),
  bodyMediation: l('受理机构调解', 'Mediation by the consumer body'),
});

export const DEADLINE_UNIT_LABELS: Readonly<Record<DeadlineUnit | 'months', Label>> = Object.freeze(
  {
    hours: l('小时', 'hours'),
    calendarDays: l('自然日', 'calendar days'),
    businessDays: l('营业日', 'business days'),
    workingDays: l('工作日', 'working days'),
    months: l('个月', 'months'),
  },
);

export const EVIDENCE_KIND_LABELS: Readonly<Record<EvidenceKind, Label>> = Object.freeze({
  screenshot: l('截图', 'Screenshot'),
  transaction_record: l('交易记录', 'Transaction record'),
  chat_log: l('客服聊天记录', 'Chat with support'),
  bank_statement: l('银行流水', 'Bank statement'),
  identity_document: l('身份证件', 'Identity document'),
  correspondence: l('信件或邮件', 'Letter or email'),
  other: l('其他', 'Other'),
});

/**
 * The facts a consumer body requires (workflows/requirements.ts), as a reader is told one is
 * missing: the dossier's list, the staff's checklist. The English words, in lower case, are
 * also the labels of ESCALATE's 422 (`missing[].label`), which clients have read since the
 * first release: keep their wording.
 */
export const REQUIRED_FACT_LABELS: Readonly<Record<FactCode, Label>> = Object.freeze({
  'complainant.name': l('投诉人姓名', "Complainant's name"),
  'complainant.phone': l('投诉人电话号码', "Complainant's phone number"),
  'complainant.postalAddress': l('投诉人通讯地址', "Complainant's postal address"),
  'complainant.regionAndPostalCode': l(
    '投诉人所在州（省）及邮政编码',
    "Complainant's state or region and postal code",
  ),
  'respondent.name': l('被投诉人名称', 'Respondent name'),
  'respondent.addressOrRegistrationNumber': l(
    '被投诉人地址或登记号码（在中国为统一社会信用代码）',
    "Respondent's address or registration number (in China, its unified social credit code)",
  ),
  category: l('产品与问题（投诉类别）', 'Product and issue (the category)'),
  'transaction.date': l('交易时间', 'Transaction date'),
  'transaction.amount': l('争议金额', 'Disputed amount'),
  narrative: l('事实经过', 'What happened'),
  desiredOutcome: l('投诉人的诉求', 'What the complainant asks for'),
  evidence: l('至少一份证据', 'At least one piece of evidence'),
  priorComplaint: l(
    '平台的最终答复，或平台最终答复期限已届满',
    "The platform's final response, or its final-response deadline passing",
  ),
  finalResponseWithinSixMonths: l(
    '在平台作出最终答复后六个月内申请外部处理',
    "Escalation within six months of the platform's final response",
  ),
  withinOneYearOfComplaint: l(
    '在向平台投诉后一年内申请外部处理',
    'Escalation within one year of the complaint to the platform',
  ),
});

/**
 * What each field of a timeline entry's payload is (`respondent.address` is the nested field
 * UPDATE_DETAILS sends): the web timeline and the dossier's printed timeline name them alike.
 */
export type EntryField =
  | 'question'
  | 'answer'
  | 'message'
  | 'outcome'
  | 'remedy'
  | 'reason'
  | 'note'
  | 'text'
  | 'externalReference'
  | 'reference'
  | 'decision'
  | 'deadline'
  | 'category'
  | 'channel'
  | 'amount'
  | 'items'
  | 'respondent.address'
  | 'respondent.registrationNumber';

export const ENTRY_FIELD_LABELS: Readonly<Record<EntryField, Label>> = Object.freeze({
  question: l('问题', 'Question'),
  answer: l('答复', 'Answer'),
  message: l('答复内容', 'Response'),
  outcome: l('结果', 'Outcome'),
  remedy: l('提供的补救措施', 'Remedy offered'),
  reason: l('理由', 'Reason'),
  note: l('备注', 'Note'),
  text: l('备注', 'Note'),
  externalReference: l('受理机构编号', 'Reference at the consumer body'),
  reference: l('编号', 'Reference'),
  decision: l('决定', 'Decision'),
  deadline: l('期限', 'Deadline'),
  category: l('投诉类别', 'Category'),
  channel: l('投诉渠道', 'Channel'),
  amount: l('金额', 'Amount'),
  items: l('文件', 'Files'),
  'respondent.address': l('被投诉人地址', "Company's address"),
  'respondent.registrationNumber': l('登记号码（统一社会信用代码）', 'Registration number'),
});

/**
 * The consumer bodies' own clocks (workflows/body-clocks.ts, where their sources are), as the
 * dossier and the case page name them.
 */
export type BodyClockKey =
  | 'acceptance'
  | 'mediation'
  | 'companyResponse'
  | 'companyFinalResponse'
  | 'referralWindow'
  | 'refusalNotice'
  | 'outcome';

export const BODY_CLOCK_LABELS: Readonly<Record<BodyClockKey, Label>> = Object.freeze({
  acceptance: l('受理决定期限', 'Decision to accept the complaint'),
  mediation: l('调解期限', 'Mediation'),
  companyResponse: l('企业答复期限', "The company's response"),
  companyFinalResponse: l('企业最终答复期限', "The company's final response"),
  referralWindow: l('申请外部处理期限', 'Time to refer the complaint'),
  refusalNotice: l('不予处理告知期限', 'Notice if the body will not deal with it'),
  outcome: l('处理结果期限', 'Outcome of the procedure'),
});

/** How a clock stands (timeliness, case page, dossier). */
export const CLOCK_STATUS_LABELS: Readonly<
  Record<'pending' | 'running' | 'paused' | 'met' | 'missed' | 'cancelled', Label>
> = Object.freeze({
  pending: l('尚未开始', 'Not started'),
  running: l('进行中', 'Running'),
  paused: l('已暂停', 'Paused'),
  met: l('按期完成', 'Met'),
  missed: l('已逾期', 'Missed'),
  cancelled: l('已取消', 'No longer applies'),
});

/** The consumer bodies by code (`ADR-DE` is `ADR`, with the country's name for `{country}`). */
export const BODY_LABELS: Readonly<Record<'12315' | 'CFPB' | 'FTC' | 'FOS' | 'ADR', Label>> =
  Object.freeze({
    '12315': l(
      '全国12315平台（国家市场监督管理总局）',
      '12315, the national consumer complaints platform (SAMR)',
    ),
    CFPB: l('美国消费者金融保护局（CFPB）', 'Consumer Financial Protection Bureau (CFPB)'),
    FTC: l('美国联邦贸易委员会（FTC）', 'Federal Trade Commission (FTC)'),
    FOS: l('英国金融申诉专员服务机构（FOS）', 'Financial Ombudsman Service'),
    ADR: l(
      '{country}的消费纠纷替代性解决（ADR）机构',
      'Consumer dispute resolution (ADR) body in {country}',
    ),
  });

/**
 * A consumer body's name from its code; `countryName` names the country of an `ADR-xx` code
 * in the same language (the caller has Intl.DisplayNames). Null for a code it does not know.
 */
export function bodyNameFor(
  code: string,
  locale: LabelLocale,
  countryName: (alpha2: string) => string = (alpha2) => alpha2,
): string | null {
  if (code.startsWith('ADR-')) {
    return BODY_LABELS.ADR[locale].replace('{country}', countryName(code.slice(4)));
  }
  return Object.hasOwn(BODY_LABELS, code)
    ? BODY_LABELS[code as keyof typeof BODY_LABELS][locale]
    : null;
}

/** Every table, by the prefix the web app's catalog keys use (`category.incorrect_charge`). */
export const LABEL_TABLES = Object.freeze({
  state: STATE_LABELS,
  event: EVENT_LABELS,
  category: CATEGORY_LABELS,
  channel: CHANNEL_LABELS,
  respondentKind: RESPONDENT_KIND_LABELS,
  responseOutcome: RESPONSE_OUTCOME_LABELS,
  bodyDecision: BODY_DECISION_LABELS,
  legalOutcome: LEGAL_OUTCOME_LABELS,
  role: ROLE_LABELS,
  deadline: DEADLINE_KIND_LABELS,
  unit: DEADLINE_UNIT_LABELS,
  evidenceKind: EVIDENCE_KIND_LABELS,
  bodyClock: BODY_CLOCK_LABELS,
  clockStatus: CLOCK_STATUS_LABELS,
  fact: REQUIRED_FACT_LABELS,
  entryField: ENTRY_FIELD_LABELS,
});

/**
 * The label of `code` in `locale`. An unknown code (a stored case older or newer than this
 * table) reads as a neutral word rather than as the code, so no code reaches a reader.
 */
export function labelFor(
  table: Readonly<Record<string, Label>>,
  code: string | null | undefined,
  locale: LabelLocale,
): string {
  const label = typeof code === 'string' && Object.hasOwn(table, code) ? table[code] : undefined;
  return label?.[locale] ?? (locale === 'zh-CN' ? '其他' : 'Other');
}

/**
 * `{prefix}.{code}` → label, for one language: how the web app turns a table into catalog keys
 * (`catalogKeys('category', CATEGORY_LABELS, 'en')['category.other'] === 'Other'`).
 */
export function catalogKeys<P extends string, K extends string>(
  prefix: P,
  table: Readonly<Record<K, Label>>,
  locale: LabelLocale,
): Record<`${P}.${K}`, string> {
  const out = {} as Record<`${P}.${K}`, string>;
  for (const code of Object.keys(table) as K[]) out[`${prefix}.${code}`] = table[code][locale];
  return out;
}

/**
 * A table's words in one language, by code. `midSentence` starts English words in lower case,
 * for text that goes inside a sentence ("Status: being investigated"); Chinese is unchanged.
 */
export function wordsOf<K extends string>(
  table: Readonly<Record<K, Label>>,
  locale: LabelLocale,
  midSentence = false,
): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const code of Object.keys(table) as K[]) {
    const word = table[code][locale];
    out[code] =
      midSentence && locale === 'en' ? word.charAt(0).toLowerCase() + word.slice(1) : word;
  }
  return out;
}
