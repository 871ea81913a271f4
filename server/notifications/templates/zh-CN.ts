import {
  BODY_DECISION_LABELS,
  DEADLINE_KIND_LABELS,
  LEGAL_OUTCOME_LABELS,
  RESPONSE_OUTCOME_LABELS,
  STATE_LABELS,
  wordsOf,
} from '../../../workflows/labels.ts';
import type { Catalog, TemplateContext } from './types.ts';

// 所有邮件的简体中文文本。占位符来自 TemplateContext，均为纯文本（HTML 转义由版式统一处理）。
// 句子尽量简短，并告诉读者下一步可以做什么。

const dateFormat = new Intl.DateTimeFormat('zh-CN', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Asia/Shanghai',
});

const quote = (text: string) => `“${text}”`;
const body = (c: TemplateContext) => c.consumerBody ?? '消费者投诉受理机构';

const finalResponseBy = (c: TemplateContext) =>
  c.due.finalResponse
    ? `我们将在${c.due.finalResponse}之前给出最终答复。`
    : '我们将尽快给出最终答复。';

const reopenHint = '如有问题，请联系我们：在规定期限内，案件专员可以重新开启本案。';

export const zhCN: Catalog = {
  locale: 'zh-CN',
  formatDate: (iso) => `${dateFormat.format(new Date(iso))}（北京时间）`,

  // The words for the workflow's codes are the shared table's (workflows/labels.ts), which the
  // dossier and the web app use too.
  states: wordsOf(STATE_LABELS, 'zh-CN'),
  deadlineKinds: wordsOf(DEADLINE_KIND_LABELS, 'zh-CN'),
  responseOutcomes: wordsOf(RESPONSE_OUTCOME_LABELS, 'zh-CN'),
  bodyDecisions: wordsOf(BODY_DECISION_LABELS, 'zh-CN'),
  legalOutcomes: wordsOf(LEGAL_OUTCOME_LABELS, 'zh-CN'),

  consumerBody(code) {
    if (code === '12315') return '全国12315平台（国家市场监督管理总局）';
    if (code === 'CFPB') return '美国消费者金融保护局（CFPB）';
    if (code === 'FTC') return '美国联邦贸易委员会（FTC）';
    if (code === 'FOS') return '英国金融申诉专员服务机构（FOS）';
    if (code.startsWith('ADR-')) return `替代性纠纷解决机构（${code.slice(4)}）`;
    return code;
  },

  layout: {
    subject: (reference, title) => `【${reference}】${title}`,
    greeting: (name) => `${name}，您好：`,
    colon: '：',
    nextHeading: '后续安排',
    referenceLabel: '案件编号',
    statusLabel: '当前状态',
    linkLabel: '查看案件',
    footer: '此邮件由 Redress 系统自动发送，请勿直接回复；如需答复或咨询，请登录案件页面。',
  },

  templates: {
    // 发给投诉人：每一次投诉人可见的状态变化。
    filed: (c) => ({
      subject: '我们已收到您的投诉',
      happened: [
        `我们已收到您对${c.respondent}的投诉，案件编号为 ${c.reference}。联系我们时请提供此编号。`,
      ],
      next: [
        c.due.acknowledge
          ? `案件专员将在${c.due.acknowledge}之前审核并确认后续步骤。`
          : '案件专员将尽快审核并确认后续步骤。',
      ],
    }),
    acknowledged: (c) => ({
      subject: '我们正在调查您的投诉',
      happened: ['案件专员已审核您的投诉，并开始调查。'],
      next: [finalResponseBy(c), '如需您补充材料，我们会通过邮件告知。'],
    }),
    rejectedAtTriage: (c) => ({
      subject: '您的投诉未能受理',
      happened: [
        '经审核，您的投诉未予受理，案件已关闭。',
        ...(c.event.reason ? [`原因：${quote(c.event.reason)}`] : []),
      ],
      next: [reopenHint],
    }),
    infoRequested: (c) => ({
      subject: '请补充材料',
      happened: [
        '为继续调查，我们需要您补充一些信息。',
        ...(c.event.question ? [`我们的问题：${quote(c.event.question)}`] : []),
      ],
      next: [
        '请在案件页面答复。在您答复之前，我们的答复期限暂停计算；您答复后，按剩余时间继续计算。',
      ],
    }),
    holdingResponse: (c) => ({
      subject: '最终答复需要延期',
      happened: [
        '我们需要更多时间完成对您投诉的调查。',
        ...(c.event.reason ? [`原因：${quote(c.event.reason)}`] : []),
      ],
      next: [finalResponseBy(c)],
    }),
    responseIssued: (c) => ({
      subject: '您的投诉已有最终答复',
      happened: [
        `我们已出具最终答复${c.event.outcome ? `：${c.event.outcome}` : ''}。`,
        ...(c.event.message ? [quote(c.event.message)] : []),
        ...(c.event.remedy ? [`处理措施：${quote(c.event.remedy)}`] : []),
      ],
      next: [
        '请在案件页面告诉我们您是否接受。',
        c.consumerBody
          ? `如不接受，您可以拒绝该答复，并将投诉提交至${c.consumerBody}。`
          : '如不接受，您可以拒绝该答复。',
      ],
    }),
    responseOverdue: (c) => ({
      subject: '最终答复已超期',
      happened: ['我们未能在规定期限内给出最终答复。'],
      next: [
        c.consumerBody
          ? `您现在可以在案件页面将投诉提交至${c.consumerBody}。我们仍会给出答复。`
          : '我们会尽快给出答复。',
      ],
    }),
    escalated: (c) => ({
      subject: `您的投诉正在提交至${body(c)}`,
      happened: [`您已申请升级投诉，我们正在将其提交至${body(c)}。`],
      next: [
        c.due.bodyAcceptance
          ? `我们将提交材料，${body(c)}预计在${c.due.bodyAcceptance}之前受理。`
          : `我们将向${body(c)}提交材料，受理后会通知您。`,
      ],
    }),
    submittedToBody: (c) => ({
      subject: `${body(c)}已受理您的投诉`,
      happened: [
        `${body(c)}已受理您的投诉${c.bodyReference ? `，受理编号为 ${c.bodyReference}` : ''}。`,
      ],
      next: [
        c.due.bodyMediation
          ? `该机构将进行调解，预计在${c.due.bodyMediation}之前结束。`
          : '该机构将进行调解，并告知我们结果。',
      ],
    }),
    bodyDecided: (c) => ({
      subject: `${body(c)}已作出结论`,
      happened: [
        `${body(c)}已处理完您的投诉${c.event.decision ? `：${c.event.decision}` : ''}。`,
        ...(c.event.note ? [quote(c.event.note)] : []),
      ],
      next: ['案件专员将决定是否转交法务审查或结案，并通知您。'],
    }),
    referredToLegal: () => ({
      subject: '您的投诉已转交法务审查',
      happened: ['您的投诉已转交我们的法务团队审查。'],
      next: ['审查结果出来后我们会通知您。'],
    }),
    resolved: (c) => ({
      subject: '您的投诉已解决',
      happened: [
        c.event.decision
          ? `您的投诉已通过${body(c)}调解解决。`
          : '您已接受我们的答复，投诉已解决。',
      ],
      next: ['您无需再做任何操作。', reopenHint],
    }),
    closed: (c) => ({
      subject: '您的投诉已结案',
      happened: [
        c.event.legalOutcome
          ? `法务审查已结束：${c.event.legalOutcome}。您的投诉已结案。`
          : '您的投诉已结案。',
        ...(c.event.reason ? [`原因：${quote(c.event.reason)}`] : []),
        ...(c.event.note ? [quote(c.event.note)] : []),
      ],
      next: [reopenHint],
    }),
    withdrawn: (c) => ({
      subject: '您的投诉已撤回',
      happened: [
        '您的投诉已按您的要求撤回。',
        ...(c.event.reason ? [`您的理由：${quote(c.event.reason)}`] : []),
      ],
      next: ['我们将不再处理此投诉。', reopenHint],
    }),
    reopened: (c) => ({
      subject: '您的投诉已重新开启',
      happened: [
        '案件专员已重新开启您的投诉。',
        ...(c.event.reason ? [`原因：${quote(c.event.reason)}`] : []),
      ],
      next: [finalResponseBy(c)],
    }),

    // 发给负责的案件专员：需要其采取下一步行动的事项。
    assigned: (c) => ({
      subject: '有案件分配给您',
      happened: [`案件 ${c.reference}（${c.state}）已分配给您。`],
      next: [nextDeadline(c)],
    }),
    complainantReplied: (c) => ({
      subject: '投诉人已补充材料',
      happened: [
        '投诉人已答复您的补充材料请求。',
        ...(c.event.answer ? [quote(c.event.answer)] : []),
      ],
      next: [
        c.due.finalResponse
          ? `最终答复期限恢复计算，须在${c.due.finalResponse}之前答复。`
          : '请继续调查。',
      ],
    }),
    responseAccepted: () => ({
      subject: '投诉人已接受答复',
      happened: ['投诉人已接受最终答复，案件已解决。'],
      next: ['除非约定的处理结果未能落实，否则无需操作。'],
    }),
    responseRejected: (c) => ({
      subject: '投诉人不接受答复',
      happened: [
        '投诉人不接受最终答复。',
        ...(c.event.reason ? [`理由：${quote(c.event.reason)}`] : []),
      ],
      next: [
        c.consumerBody
          ? `投诉人现在可以将投诉提交至${c.consumerBody}。您也可以说明理由后结案。`
          : '您可以说明理由后结案。',
      ],
    }),
    complainantEscalated: (c) => ({
      subject: `投诉人已将投诉提交至${body(c)}`,
      happened: [`投诉人已将案件升级至${body(c)}。`],
      next: [
        c.due.bodyAcceptance
          ? `请准备材料并提交，并在${c.due.bodyAcceptance}之前登记提交情况。`
          : '请准备材料并提交，并登记提交情况。',
      ],
    }),
    complainantWithdrew: (c) => ({
      subject: '投诉人已撤回投诉',
      happened: [
        '投诉人已撤回投诉，所有未到期的期限均已取消。',
        ...(c.event.reason ? [`理由：${quote(c.event.reason)}`] : []),
      ],
      next: ['无需操作。'],
    }),
    deadlinePassed: (c) => ({
      subject: `期限已过：${c.deadline?.kind ?? '期限'}`,
      happened: [
        `案件 ${c.reference} 的${c.deadline?.kind ?? ''}期限已过${c.deadline?.dueAt ? `（截止时间为${c.deadline.dueAt}）` : ''}。`,
      ],
      next: ['请立即处理该案件；如对投诉人有影响，系统已通知投诉人。'],
    }),
    deadlineWarning: (c) => ({
      subject: `期限临近：${c.deadline?.kind ?? '期限'}`,
      happened: [
        `案件 ${c.reference} 的${c.deadline?.kind ?? ''}期限将于${c.deadline?.dueAt ?? '近期'}到期。`,
      ],
      next: ['请在到期前处理该案件。'],
    }),
  },

  account: {
    setPassword: (c) => ({
      subject: '请设置您的 Redress 账户密码',
      paragraphs: [
        '案件专员已为您开设 Redress 账户，您可以在线查看投诉进展并回复我们。',
        c.linkIsRelative
          ? `请打开 Redress 网站并访问以下地址来设置密码：${c.link}`
          : `请打开以下链接设置密码：${c.link}`,
        `该链接只能使用一次，有效期至 ${c.expiresAt}。如链接已过期，请联系您的案件专员重新发送。如果您并未预期收到此邮件，请忽略。`,
      ],
      linkLabel: '设置密码',
    }),
  },
};

function nextDeadline(c: TemplateContext): string {
  const running = Object.entries(c.due);
  if (c.paused) return '等待投诉人答复期间，期限暂停计算。';
  if (!running.length) return '该案件目前没有正在计算的期限。';
  const [kind, dueAt] = running[0]!;
  return `下一个期限：${zhCN.deadlineKinds[kind as keyof typeof zhCN.deadlineKinds]}，截止时间为${dueAt}。`;
}
