import {
  BODY_DECISION_LABELS,
  DEADLINE_KIND_LABELS,
  LEGAL_OUTCOME_LABELS,
  RESPONSE_OUTCOME_LABELS,
  STATE_LABELS,
  wordsOf,
} from '../../../workflows/labels.ts';
import type { Catalog, TemplateContext } from './types.ts';

// English texts of every email. Placeholders come from TemplateContext; values are plain text
// (the layout escapes them for HTML). Keep sentences short and say what the reader can do.

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'full',
  timeStyle: 'short',
  timeZone: 'UTC',
});

const quote = (text: string) => `“${text}”`;
const body = (c: TemplateContext) => c.consumerBody ?? 'the consumer body';

/** "by <date>" sentences only when the clock is running; a paused or missing one says so. */
const finalResponseBy = (c: TemplateContext) =>
  c.due.finalResponse
    ? `We will send you our final response by ${c.due.finalResponse}.`
    : 'We will send you our final response as soon as we can.';

const reopenHint =
  'If something is not right, contact us: a case officer can reopen the case for a limited time.';

export const en: Catalog = {
  locale: 'en',
  formatDate: (iso) => `${dateFormat.format(new Date(iso))} UTC`,

  // The words for the workflow's codes are the shared table's (workflows/labels.ts), which the
  // dossier and the web app use too, in lower case inside sentences.
  states: wordsOf(STATE_LABELS, 'en', true),
  deadlineKinds: wordsOf(DEADLINE_KIND_LABELS, 'en', true),
  responseOutcomes: wordsOf(RESPONSE_OUTCOME_LABELS, 'en', true),
  bodyDecisions: wordsOf(BODY_DECISION_LABELS, 'en', true),
  legalOutcomes: wordsOf(LEGAL_OUTCOME_LABELS, 'en', true),

  consumerBody(code) {
    if (code === '12315') return 'the 12315 consumer platform (SAMR)';
    if (code === 'CFPB') return 'the Consumer Financial Protection Bureau (CFPB)';
    if (code === 'FTC') return 'the Federal Trade Commission (FTC)';
    if (code === 'FOS') return 'the Financial Ombudsman Service';
    if (code.startsWith('ADR-'))
      return `the alternative dispute resolution body (${code.slice(4)})`;
    return code;
  },

  layout: {
    subject: (reference, title) => `[${reference}] ${title}`,
    greeting: (name) => `Dear ${name},`,
    colon: ': ',
    nextHeading: 'What happens next',
    referenceLabel: 'Case reference',
    statusLabel: 'Status',
    linkLabel: 'View your case',
    footer:
      'This message was sent by Redress. Please do not reply to it; use the case page to answer or ask us something.',
  },

  templates: {
    // To the complainant, one per status change they can see.
    filed: (c) => ({
      subject: 'We have received your complaint',
      happened: [
        `We have received your complaint about ${c.respondent} and given it the reference ${c.reference}. Please quote it whenever you contact us.`,
      ],
      next: [
        c.due.acknowledge
          ? `A case officer will review it and confirm the next steps by ${c.due.acknowledge}.`
          : 'A case officer will review it and confirm the next steps.',
      ],
    }),
    acknowledged: (c) => ({
      subject: 'We are investigating your complaint',
      happened: ['A case officer has reviewed your complaint and started investigating it.'],
      next: [finalResponseBy(c), 'If we need more information from you, we will ask by email.'],
    }),
    rejectedAtTriage: (c) => ({
      subject: 'We cannot take your complaint forward',
      happened: [
        'We reviewed your complaint and closed it without investigating it.',
        ...(c.event.reason ? [`Reason: ${quote(c.event.reason)}`] : []),
      ],
      next: [reopenHint],
    }),
    infoRequested: (c) => ({
      subject: 'We need more information from you',
      happened: [
        'To continue the investigation we need more information from you.',
        ...(c.event.question ? [`Our question: ${quote(c.event.question)}`] : []),
      ],
      next: [
        'Please answer on your case page. The time we have for our response is paused until you answer, and resumes then with the time that was left.',
      ],
    }),
    holdingResponse: (c) => ({
      subject: 'We need more time for our final response',
      happened: [
        'We need more time to finish investigating your complaint.',
        ...(c.event.reason ? [`Why: ${quote(c.event.reason)}`] : []),
      ],
      next: [finalResponseBy(c)],
    }),
    responseIssued: (c) => ({
      subject: 'Our final response to your complaint',
      happened: [
        `We have issued our final response${c.event.outcome ? `: ${c.event.outcome}` : ''}.`,
        ...(c.event.message ? [quote(c.event.message)] : []),
        ...(c.event.remedy ? [`What we will do: ${quote(c.event.remedy)}`] : []),
      ],
      next: [
        'Please tell us on your case page whether you accept it.',
        c.consumerBody
          ? `If you do not accept it, you can reject it and escalate your complaint to ${c.consumerBody}.`
          : 'If you do not accept it, you can reject it.',
      ],
    }),
    responseOverdue: (c) => ({
      subject: 'Our final response is overdue',
      happened: ['We did not send our final response within the time allowed.'],
      next: [
        c.consumerBody
          ? `You can now escalate your complaint to ${c.consumerBody} from your case page. We will still send you our response.`
          : 'We will send you our response as soon as we can.',
      ],
    }),
    escalated: (c) => ({
      subject: `Your complaint is being escalated to ${body(c)}`,
      happened: [`You escalated your complaint. We are sending it to ${body(c)}.`],
      next: [
        c.due.bodyAcceptance
          ? `We will submit it, and ${body(c)} is expected to accept it by ${c.due.bodyAcceptance}.`
          : `We will submit it to ${body(c)} and tell you when it is accepted.`,
      ],
    }),
    submittedToBody: (c) => ({
      subject: `Your complaint is with ${body(c)}`,
      happened: [
        `${body(c)} has accepted your complaint${c.bodyReference ? ` under their reference ${c.bodyReference}` : ''}.`,
      ],
      next: [
        c.due.bodyMediation
          ? `They will look for a solution; the mediation is expected to end by ${c.due.bodyMediation}.`
          : 'They will look for a solution and tell us the outcome.',
      ],
    }),
    bodyDecided: (c) => ({
      subject: `${body(c)} has reached a decision`,
      happened: [
        `${body(c)} has finished with your complaint${c.event.decision ? `: ${c.event.decision}` : ''}.`,
        ...(c.event.note ? [quote(c.event.note)] : []),
      ],
      next: [
        'Your case officer will decide whether the case goes for legal review or can be closed, and will tell you.',
      ],
    }),
    referredToLegal: () => ({
      subject: 'Your complaint has been referred for legal review',
      happened: ['Your complaint has been referred to our legal team for review.'],
      next: ['We will tell you the outcome of the legal review.'],
    }),
    resolved: (c) => ({
      subject: 'Your complaint is resolved',
      happened: [
        c.event.decision
          ? `Your complaint has been settled through ${body(c)}.`
          : 'You accepted our response, so your complaint is resolved.',
      ],
      next: ['Nothing more is needed from you.', reopenHint],
    }),
    closed: (c) => ({
      subject: 'Your complaint is closed',
      happened: [
        c.event.legalOutcome
          ? `The legal review has ended: ${c.event.legalOutcome}. Your complaint is closed.`
          : 'Your complaint is closed.',
        ...(c.event.reason ? [`Reason: ${quote(c.event.reason)}`] : []),
        ...(c.event.note ? [quote(c.event.note)] : []),
      ],
      next: [reopenHint],
    }),
    withdrawn: (c) => ({
      subject: 'Your complaint has been withdrawn',
      happened: [
        'Your complaint has been withdrawn as you asked.',
        ...(c.event.reason ? [`Your reason: ${quote(c.event.reason)}`] : []),
      ],
      next: ['We will take no further action.', reopenHint],
    }),
    reopened: (c) => ({
      subject: 'Your complaint has been reopened',
      happened: [
        'A case officer has reopened your complaint.',
        ...(c.event.reason ? [`Why: ${quote(c.event.reason)}`] : []),
      ],
      next: [finalResponseBy(c)],
    }),

    // To the assigned officer: things that need their next move.
    assigned: (c) => ({
      subject: 'A case has been assigned to you',
      happened: [`Case ${c.reference} (${c.state}) has been assigned to you.`],
      next: [nextDeadline(c)],
    }),
    complainantReplied: (c) => ({
      subject: 'The complainant has answered',
      happened: [
        'The complainant answered your request for information.',
        ...(c.event.answer ? [quote(c.event.answer)] : []),
      ],
      next: [
        c.due.finalResponse
          ? `The final response clock runs again: the response is due by ${c.due.finalResponse}.`
          : 'Continue the investigation.',
      ],
    }),
    responseAccepted: () => ({
      subject: 'The complainant accepted the response',
      happened: ['The complainant accepted the final response; the case is resolved.'],
      next: ['No action is needed unless the agreed outcome is not delivered.'],
    }),
    responseRejected: (c) => ({
      subject: 'The complainant rejected the response',
      happened: [
        'The complainant rejected the final response.',
        ...(c.event.reason ? [`Their reason: ${quote(c.event.reason)}`] : []),
      ],
      next: [
        c.consumerBody
          ? `They may now escalate to ${c.consumerBody}. You can also close the case with a reason.`
          : 'You can close the case with a reason.',
      ],
    }),
    complainantEscalated: (c) => ({
      subject: `The complainant escalated to ${body(c)}`,
      happened: [`The complainant escalated the case to ${body(c)}.`],
      next: [
        c.due.bodyAcceptance
          ? `Prepare the dossier, submit it and record the submission by ${c.due.bodyAcceptance}.`
          : 'Prepare the dossier, submit it and record the submission.',
      ],
    }),
    complainantWithdrew: (c) => ({
      subject: 'The complainant withdrew the complaint',
      happened: [
        'The complainant withdrew the complaint; its open deadlines were cancelled.',
        ...(c.event.reason ? [`Their reason: ${quote(c.event.reason)}`] : []),
      ],
      next: ['No action is needed.'],
    }),
    deadlinePassed: (c) => ({
      subject: `Deadline missed: ${c.deadline?.kind ?? 'a deadline'}`,
      happened: [
        `The ${c.deadline?.kind ?? ''} deadline of case ${c.reference} has passed${c.deadline?.dueAt ? ` (it was due by ${c.deadline.dueAt})` : ''}.`,
      ],
      next: ['Please act on the case now; where it affects them, the complainant has been told.'],
    }),
    deadlineWarning: (c) => ({
      subject: `Deadline approaching: ${c.deadline?.kind ?? 'a deadline'}`,
      happened: [
        `The ${c.deadline?.kind ?? ''} deadline of case ${c.reference} runs out${c.deadline?.dueAt ? ` on ${c.deadline.dueAt}` : ' soon'}.`,
      ],
      next: ['Please act on the case before then.'],
    }),
  },

  account: {
    setPassword: (c) => ({
      subject: 'Set the password of your Redress account',
      paragraphs: [
        'A case officer opened a Redress account for you, so that you can follow your complaint and answer us online.',
        c.linkIsRelative
          ? `To choose your password, open the Redress website and go to this address: ${c.link}`
          : `To choose your password, open this link: ${c.link}`,
        `The link works once and until ${c.expiresAt}. If it has expired, ask your case officer for a new one. If you did not expect this message, you can ignore it.`,
      ],
      linkLabel: 'Set your password',
    }),
  },
};

function nextDeadline(c: TemplateContext): string {
  const running = Object.entries(c.due);
  if (c.paused) return 'Its clocks are paused while it waits for the complainant.';
  if (!running.length) return 'No deadline is running on it.';
  const [kind, dueAt] = running[0]!;
  return `Next deadline: ${en.deadlineKinds[kind as keyof typeof en.deadlineKinds]}, by ${dueAt}.`;
}
