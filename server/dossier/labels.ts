// Words a dossier prints, in the two locales a case can have. The 12315 section titles are
// the headings of the complaint form on 全国12315平台 (www.12315.cn), so an officer can copy
// each section into the matching box; the CFPB/FTC titles follow the CFPB complaint form.
import type { Category } from '../../workflows/index.ts';

export type Locale = 'zh-CN' | 'en';
type Text = Record<Locale, string>;

export const SECTION_LABELS = {
  complainant: { 'zh-CN': '投诉人信息', en: 'Consumer' },
  respondent: { 'zh-CN': '被投诉人名称与地址', en: 'Company' },
  product: { 'zh-CN': '产品与问题', en: 'Product and issue' },
  transaction: { 'zh-CN': '购买/交易时间、金额', en: 'Transaction date and amount' },
  whatHappened: { 'zh-CN': '事实经过', en: 'What happened' },
  desiredResolution: { 'zh-CN': '诉求', en: 'Desired resolution' },
  dates: { 'zh-CN': '相关日期', en: 'Dates' },
  evidence: { 'zh-CN': '证据', en: 'Attachments' },
} satisfies Record<string, Text>;
export type SectionKey = keyof typeof SECTION_LABELS;

export const UI = {
  title12315: {
    'zh-CN': '消费者投诉材料（全国12315平台）',
    en: 'Complaint dossier for 12315 (SAMR)',
  },
  titleBody: { 'zh-CN': '消费者投诉材料（{body}）', en: 'Complaint dossier for the {body}' },
  titleNoBody: { 'zh-CN': '消费者投诉材料', en: 'Complaint dossier' },
  reference: { 'zh-CN': '案件编号', en: 'Case reference' },
  state: { 'zh-CN': '当前状态', en: 'Current state' },
  category: { 'zh-CN': '投诉类别', en: 'Category' },
  jurisdiction: { 'zh-CN': '管辖地区', en: 'Jurisdiction' },
  consumerBody: { 'zh-CN': '受理机构', en: 'Consumer body' },
  generatedAt: { 'zh-CN': '生成时间', en: 'Generated' },
  name: { 'zh-CN': '姓名', en: 'Name' },
  companyName: { 'zh-CN': '名称', en: 'Name' },
  missingAddress: {
    'zh-CN': '被投诉人地址：Redress 不记录地址，请在提交时补充',
    en: "The company's address: Redress does not record it; add it when submitting",
  },
  missingEvidence: { 'zh-CN': '证据：尚未上传', en: 'Evidence: none has been uploaded' },
  email: { 'zh-CN': '电子邮箱', en: 'Email' },
  account: { 'zh-CN': '平台账户', en: 'Account' },
  respondentKind: { 'zh-CN': '类型', en: 'Type' },
  address: { 'zh-CN': '地址', en: 'Address' },
  notCollected: {
    'zh-CN': '未收集（Redress 不记录被投诉人地址，请在提交时补充）',
    en: 'not collected (Redress does not record the company address; add it when submitting)',
  },
  occurredAt: { 'zh-CN': '交易时间', en: 'Transaction date' },
  amount: { 'zh-CN': '金额', en: 'Amount' },
  transactionReference: { 'zh-CN': '交易单号', en: 'Transaction reference' },
  product: { 'zh-CN': '产品', en: 'Product' },
  issue: { 'zh-CN': '问题', en: 'Issue' },
  productValue: {
    'zh-CN': '电子钱包/支付账户服务',
    en: 'Money transfer, virtual currency, or money service: mobile or digital wallet',
  },
  filedAt: { 'zh-CN': '向平台投诉日期', en: 'Complaint filed with the company' },
  respondedAt: { 'zh-CN': '平台答复日期', en: 'Company response' },
  escalatedAt: { 'zh-CN': '申请外部处理日期', en: 'Escalated' },
  evidenceCount: {
    'zh-CN': '共 {n} 份，详见证据清单',
    en: '{n} file(s), listed in the evidence manifest',
  },
  noEvidence: { 'zh-CN': '无', en: 'none' },
  platformResponse: { 'zh-CN': '平台最终答复', en: "The platform's final response" },
  noResponse: {
    'zh-CN': '平台尚未作出最终答复',
    en: 'The platform has not issued a final response.',
  },
  outcome: { 'zh-CN': '处理结果', en: 'Outcome' },
  remedy: { 'zh-CN': '补救措施', en: 'Remedy' },
  message: { 'zh-CN': '答复内容', en: 'Message' },
  complainantReply: { 'zh-CN': '投诉人意见', en: "Complainant's reply" },
  manifest: { 'zh-CN': '证据清单', en: 'Evidence manifest' },
  manifestNote: {
    'zh-CN': '每份文件的 SHA-256 值可用于核对文件未被改动。',
    en: 'The SHA-256 of each file proves the file has not been altered.',
  },
  timeline: { 'zh-CN': '处理记录', en: 'Timeline' },
  chainOk: {
    'zh-CN': '哈希链校验通过（{n} 条记录，末条哈希 {hash}）',
    en: 'Hash chain verified ({n} entries, last hash {hash})',
  },
  chainBroken: {
    'zh-CN': '哈希链校验失败：第 {seq} 条记录，{problem}',
    en: 'Hash chain FAILED at entry {seq}: {problem}',
  },
  missing: { 'zh-CN': '缺少的材料', en: 'Missing for submission' },
  page: { 'zh-CN': '第 {n} 页，共 {total} 页', en: 'Page {n} of {total}' },
  flagged: { 'zh-CN': '（已标记）', en: ' (flagged)' },
  none: { 'zh-CN': '无', en: 'none' },
} satisfies Record<string, Text>;

export const CATEGORY_LABELS: Record<Category, Text> = {
  payment_failed: { 'zh-CN': '支付失败', en: 'Payment failed' },
  unauthorized_transaction: { 'zh-CN': '未经授权的交易（盗刷）', en: 'Unauthorized transaction' },
  refund_not_received: { 'zh-CN': '退款未到账', en: 'Refund not received' },
  refund_amount_mismatch: { 'zh-CN': '退款金额不符', en: 'Refund amount does not match' },
  incorrect_charge: { 'zh-CN': '扣款异常', en: 'Incorrect charge' },
  balance_discrepancy: { 'zh-CN': '余额不符', en: 'Balance discrepancy' },
  account_access: { 'zh-CN': '无法登录账户', en: 'Cannot access the account' },
  account_compromised: { 'zh-CN': '账户被盗', en: 'Account compromised' },
  merchant_refused_payment: { 'zh-CN': '商户拒收付款', en: 'Merchant refused the payment' },
  poor_service: { 'zh-CN': '客服响应慢', en: 'Poor customer service' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

export const RESPONDENT_KIND_LABELS: Record<string, Text> = {
  platform: { 'zh-CN': '支付平台', en: 'Payment platform' },
  merchant: { 'zh-CN': '商户', en: 'Merchant' },
  bank: { 'zh-CN': '银行', en: 'Bank' },
};

export const OUTCOME_LABELS: Record<string, Text> = {
  upheld: { 'zh-CN': '投诉成立', en: 'Upheld' },
  partially_upheld: { 'zh-CN': '部分成立', en: 'Partially upheld' },
  rejected: { 'zh-CN': '投诉不成立', en: 'Rejected' },
};

export const EVENT_LABELS: Record<string, Text> = {
  FILED: { 'zh-CN': '提交投诉', en: 'Filed' },
  IMPORTED: { 'zh-CN': '导入', en: 'Imported' },
  TRIAGE_ACCEPT: { 'zh-CN': '受理', en: 'Accepted at triage' },
  TRIAGE_REJECT: { 'zh-CN': '不予受理', en: 'Rejected at triage' },
  ASSIGN: { 'zh-CN': '分派处理人', en: 'Assigned' },
  REQUEST_INFO: { 'zh-CN': '要求补充材料', en: 'Information requested' },
  PROVIDE_INFO: { 'zh-CN': '补充材料', en: 'Information provided' },
  REFER_TO_BANK: { 'zh-CN': '转交发卡行', en: 'Referred to the bank' },
  BANK_RESPONDED: { 'zh-CN': '发卡行回复', en: 'Bank responded' },
  ISSUE_HOLDING_RESPONSE: { 'zh-CN': '延期答复', en: 'Holding response' },
  ISSUE_RESPONSE: { 'zh-CN': '平台答复', en: 'Final response issued' },
  ACCEPT_RESPONSE: { 'zh-CN': '接受答复', en: 'Response accepted' },
  REJECT_RESPONSE: { 'zh-CN': '不接受答复', en: 'Response rejected' },
  ESCALATE: { 'zh-CN': '申请外部处理', en: 'Escalated' },
  RECORD_SUBMISSION: { 'zh-CN': '已提交受理机构', en: 'Submitted to the body' },
  RECORD_BODY_DECISION: { 'zh-CN': '受理机构决定', en: "Body's decision" },
  REFER_TO_LEGAL: { 'zh-CN': '转法律程序', en: 'Referred to legal' },
  RECORD_LEGAL_OUTCOME: { 'zh-CN': '法律程序结果', en: 'Legal outcome' },
  CLOSE: { 'zh-CN': '结案', en: 'Closed' },
  WITHDRAW: { 'zh-CN': '撤回投诉', en: 'Withdrawn' },
  REOPEN: { 'zh-CN': '重新处理', en: 'Reopened' },
  DEADLINE_PASSED: { 'zh-CN': '期限届满', en: 'Deadline passed' },
  EVIDENCE_ADDED: { 'zh-CN': '添加证据', en: 'Evidence added' },
};

export const ROLE_LABELS: Record<string, Text> = {
  complainant: { 'zh-CN': '投诉人', en: 'complainant' },
  officer: { 'zh-CN': '处理人员', en: 'officer' },
  compliance: { 'zh-CN': '合规', en: 'compliance' },
  admin: { 'zh-CN': '管理员', en: 'admin' },
  system: { 'zh-CN': '系统', en: 'system' },
};

export const EVIDENCE_KIND_LABELS: Record<string, Text> = {
  screenshot: { 'zh-CN': '截图', en: 'Screenshot' },
  transaction_record: { 'zh-CN': '交易记录', en: 'Transaction record' },
  chat_log: { 'zh-CN': '聊天记录', en: 'Chat log' },
  bank_statement: { 'zh-CN': '银行流水', en: 'Bank statement' },
  identity_document: { 'zh-CN': '身份证明', en: 'Identity document' },
  correspondence: { 'zh-CN': '往来函件', en: 'Correspondence' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

/** `label: value`, with the colon each language uses. */
export function field(label: Text, locale: Locale, value: string): string {
  return `${label[locale]}${locale === 'zh-CN' ? '：' : ': '}${value}`;
}

/** The label for `key` in `locale`, with `{name}` placeholders filled in. */
export function say(
  text: Text,
  locale: Locale,
  values: Record<string, string | number> = {},
): string {
  return text[locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** A label from a table, or the raw code when the table has none (a new event type). */
export function labelOf(table: Record<string, Text>, code: string, locale: Locale): string {
  return table[code]?.[locale] ?? code;
}
