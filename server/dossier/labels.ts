// Words a dossier prints, in the two locales a case can have. The 12315 section titles are
// the headings of the complaint form on 全国12315平台 (www.12315.cn), so an officer can copy
// each section into the matching box; the CFPB/FTC titles follow the CFPB complaint form.
// Only the document's own headings and sentences are here. Whatever names a code or a field that
// another surface shows too (states, events, categories, a timeline entry's fields, the facts a
// body requires, the clocks) is the shared table's, workflows/labels.ts, which the emails and
// the web app read as well.
import type { Label, LabelLocale } from '../../workflows/labels.ts';

export type Locale = LabelLocale;
type Text = Label;

export const SECTION_LABELS = {
  complainant: { 'zh-CN': '投诉人信息', en: 'Consumer' },
  respondent: { 'zh-CN': '被投诉人名称与地址', en: 'Company' },
  product: { 'zh-CN': '产品与问题', en: 'Product and issue' },
  transaction: { 'zh-CN': '购买/交易时间、金额', en: 'Transaction date and amount' },
  whatHappened: { 'zh-CN': '事实经过', en: 'What happened' },
  desiredResolution: { 'zh-CN': '诉求', en: 'Desired resolution' },
  dates: { 'zh-CN': '相关日期', en: 'Dates' },
  evidence: { 'zh-CN': '证据', en: 'Attachments' },
  bodyDeadlines: { 'zh-CN': '受理机构处理时限', en: "The body's deadlines" },
  timeliness: { 'zh-CN': '平台处理时效', en: "The platform's timeliness" },
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
  jurisdiction: { 'zh-CN': '管辖地区', en: 'Jurisdiction' },
  consumerBody: { 'zh-CN': '受理机构', en: 'Consumer body' },
  generatedAt: { 'zh-CN': '生成时间', en: 'Generated' },
  name: { 'zh-CN': '姓名', en: 'Name' },
  companyName: { 'zh-CN': '名称', en: 'Name' },
  email: { 'zh-CN': '电子邮箱', en: 'Email' },
  account: { 'zh-CN': '平台账户', en: 'Account' },
  respondentKind: { 'zh-CN': '类型', en: 'Type' },
  notCollected: {
    'zh-CN': '尚未填写（请在提交前补充）',
    en: 'not given yet (add it before submitting)',
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
  platformResponse: { 'zh-CN': '平台最终答复', en: "The platform's final response" },
  noResponse: {
    'zh-CN': '平台尚未作出最终答复',
    en: 'The platform has not issued a final response.',
  },
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
    // The problem is the verifier's English sentence: the Chinese dossier names the entry only.
    'zh-CN': '哈希链校验失败：第 {seq} 条记录',
    en: 'Hash chain FAILED at entry {seq}: {problem}',
  },
  missing: { 'zh-CN': '缺少的材料', en: 'Missing for submission' },
  page: { 'zh-CN': '第 {n} 页，共 {total} 页', en: 'Page {n} of {total}' },
  flagged: { 'zh-CN': '（已标记）', en: ' (flagged)' },
  none: { 'zh-CN': '无', en: 'none' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
  hash: { 'zh-CN': '哈希', en: 'Hash' },
  postalAddress: { 'zh-CN': '通讯地址', en: 'Postal address' },
  unknownFile: { 'zh-CN': '未知类型', en: 'unknown type' },
  bytes: { 'zh-CN': '{n} 字节', en: '{n} bytes' },
  // The body's clocks: `{what}：{length}，{from}…`.
  clockFrom: {
    'zh-CN': '{length}，自{start}起，至{due}止（{status}）',
    en: '{length} from {start}, due {due} ({status})',
  },
  clockProjected: {
    'zh-CN': '{length}，{anchor}起算；如于{start}起算，至迟于{due}届满（{status}）',
    en: '{length} {anchor}; if it starts on {start}, it ends by {due} ({status})',
  },
  clockUndated: {
    'zh-CN': '{length}，{anchor}起算（{status}）',
    en: '{length} {anchor} ({status})',
  },
  clockSource: { 'zh-CN': '依据：{source}', en: 'Source: {source}' },
  noBodyClocks: {
    'zh-CN': '该机构未规定处理时限。',
    en: 'The body sets no deadline of its own for individual complaints.',
  },
  anchorEscalated: { 'zh-CN': '自提交之日', en: 'from submission to the body' },
  anchorAccepted: { 'zh-CN': '自受理之日', en: 'from acceptance' },
  anchorDecided: { 'zh-CN': '自作出决定之日', en: "from the body's decision" },
  anchorFinalResponse: { 'zh-CN': '自平台最终答复之日', en: "from the platform's final response" },
  timely: { 'zh-CN': '平台是否按时答复', en: 'Timely response' },
  timelyYes: { 'zh-CN': '是', en: 'Yes' },
  timelyNo: { 'zh-CN': '否', en: 'No' },
  timelyOpen: {
    'zh-CN': '尚无结论（期限仍在进行）',
    en: 'Not yet known (a deadline is still running)',
  },
  standingDue: { 'zh-CN': '{status}（期限：{due}）', en: '{status} (due {due})' },
  notStarted: { 'zh-CN': '未开始', en: 'not started' },
} satisfies Record<string, Text>;

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
