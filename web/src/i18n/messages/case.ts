import {
  BODY_DECISION_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  DEADLINE_KIND_LABELS,
  DEADLINE_UNIT_LABELS,
  EVIDENCE_KIND_LABELS,
  LEGAL_OUTCOME_LABELS,
  REQUIRED_FACT_LABELS,
  RESPONDENT_KIND_LABELS,
  RESPONSE_OUTCOME_LABELS,
  STATE_LABELS,
  catalogKeys,
  type LabelLocale,
} from '../../../../workflows/labels.ts';
import { defineCatalog } from '../catalog.ts';

/**
 * The words for the workflow's codes, from the label table the dossier and the emails print
 * too (workflows/labels.ts): one name for each state, category, outcome... everywhere.
 */
function codeWords(locale: LabelLocale) {
  const state = (path: 'platformReview.awaitingComplainant' | 'responseIssued.awaitingReply') =>
    STATE_LABELS[path][locale];
  return {
    ...catalogKeys('category', CATEGORY_LABELS, locale),
    ...catalogKeys('state', STATE_LABELS, locale),
    // StateBadge shows staff these where the complainant's page speaks to them (below).
    'staffState.platformReview.awaitingComplainant': state('platformReview.awaitingComplainant'),
    'staffState.responseIssued.awaitingReply': state('responseIssued.awaitingReply'),
    ...catalogKeys('respondentKind', RESPONDENT_KIND_LABELS, locale),
    ...catalogKeys('evidenceKind', EVIDENCE_KIND_LABELS, locale),
    ...catalogKeys('deadline', DEADLINE_KIND_LABELS, locale),
    ...catalogKeys('unit', DEADLINE_UNIT_LABELS, locale),
    ...catalogKeys('responseOutcome', RESPONSE_OUTCOME_LABELS, locale),
    ...catalogKeys('bodyDecision', BODY_DECISION_LABELS, locale),
    ...catalogKeys('legalOutcome', LEGAL_OUTCOME_LABELS, locale),
    ...catalogKeys('channel', CHANNEL_LABELS, locale),
    // What a consumer body still needs, as staff read it (the complainant's page says "your").
    ...catalogKeys('fact', REQUIRED_FACT_LABELS, locale),
  };
}

// The case vocabulary every area shares: codes from workflows/ in plain words. Keys are built
// from the codes (`category.${code}`, `state.${state}`, `event.${type}`), so never rename one.
// `event.*` are the buttons that send an event; what an entry records is `timeline.type.*`.
export const caseWords = defineCatalog(
  {
    ...codeWords('en'),
    // The complainant reads about their own case in the second person.
    'state.platformReview.awaitingComplainant': 'Waiting for your answer',
    'state.responseIssued.awaitingReply': 'Response sent, waiting for your reply',
    'event.TRIAGE_ACCEPT': 'Accept for review',
    'event.TRIAGE_REJECT': 'Reject at triage',
    'event.ASSIGN': 'Assign',
    'event.REQUEST_INFO': 'Request information',
    'event.PROVIDE_INFO': 'Send answer',
    'event.REFER_TO_BANK': 'Refer to bank',
    'event.BANK_RESPONDED': 'Record bank response',
    'event.ISSUE_RESPONSE': 'Issue response',
    'event.ISSUE_HOLDING_RESPONSE': 'Issue holding response',
    'event.ACCEPT_RESPONSE': 'Accept response',
    'event.REJECT_RESPONSE': 'Reject response',
    'event.ESCALATE': 'Escalate',
    'event.RECORD_SUBMISSION': 'Record submission',
    'event.RECORD_BODY_DECISION': 'Record decision',
    'event.REFER_TO_LEGAL': 'Refer to legal',
    'event.RECORD_LEGAL_OUTCOME': 'Record legal outcome',
    'event.WITHDRAW': 'Withdraw',
    'event.REOPEN': 'Reopen',
    'event.CLOSE': 'Close',
    'event.DEADLINE_PASSED': 'A deadline passed',
    'event.NOTE': 'Add note',
    'event.UPDATE_DETAILS': 'Update details',
    'case.urgent': 'Urgent',
    'case.overdue': 'Overdue',
    'case.integrityVerified': 'Integrity verified',
    'case.integrityBroken': 'Integrity check failed at entry {seq}',
  },
  {
    ...codeWords('zh-CN'),
    'state.platformReview.awaitingComplainant': '等待您的答复',
    'state.responseIssued.awaitingReply': '已答复，等待您的意见',
    'event.TRIAGE_ACCEPT': '受理审核',
    'event.TRIAGE_REJECT': '不予受理',
    'event.ASSIGN': '分配',
    'event.REQUEST_INFO': '要求补充信息',
    'event.PROVIDE_INFO': '发送答复',
    'event.REFER_TO_BANK': '转交银行',
    'event.BANK_RESPONDED': '记录银行回复',
    'event.ISSUE_RESPONSE': '发出答复',
    'event.ISSUE_HOLDING_RESPONSE': '发出延期答复',
    'event.ACCEPT_RESPONSE': '接受答复',
    'event.REJECT_RESPONSE': '不接受答复',
    'event.ESCALATE': '升级投诉',
    'event.RECORD_SUBMISSION': '记录提交',
    'event.RECORD_BODY_DECISION': '记录机构决定',
    'event.REFER_TO_LEGAL': '转法律途径',
    'event.RECORD_LEGAL_OUTCOME': '记录法律结果',
    'event.WITHDRAW': '撤回投诉',
    'event.REOPEN': '重新打开',
    'event.CLOSE': '结案',
    'event.DEADLINE_PASSED': '期限已过',
    'event.NOTE': '添加备注',
    'event.UPDATE_DETAILS': '更新信息',
    'case.urgent': '紧急',
    'case.overdue': '已逾期',
    'case.integrityVerified': '完整性已验证',
    'case.integrityBroken': '完整性校验在第 {seq} 条记录处失败',
  },
);
