import type { Types } from 'mongoose';
import type { Deadline } from '../../workflows/index.ts';
import { changeId, type CaseChangeModel, type CaseChangeRecord } from '../cases/journal.ts';
import type { CaseModel, CaseRecord } from '../cases/model.ts';
import { composeAccountMail, SET_PASSWORD_TEMPLATE } from './account-emails.ts';
import {
  addressed,
  SkipNotification,
  type MailSettings,
  type RecipientLookup,
} from './compose-types.ts';
import type { NotificationRecord } from './model.ts';
import { isTemplateName, renderMessage, type CaseFactsForMail } from './render.ts';
import type { OutgoingMail } from './transport.ts';

type CaseWithoutTimeline = Omit<CaseRecord, 'timeline'>;
type JournalEntry = { type: string; data: Record<string, unknown> };

/** What composing reads of a case, as it is at send time. */
export interface CaseReads {
  caseById(id: Types.ObjectId): Promise<CaseWithoutTimeline | null>;
  entryOf(caseId: Types.ObjectId, version: number): Promise<JournalEntry | null>;
}

export function caseReads(cases: CaseModel, changes: CaseChangeModel): CaseReads {
  return {
    caseById: (id) => cases.findById(id, { timeline: 0 }).lean<CaseWithoutTimeline>(),
    async entryOf(caseId, version) {
      const change = await changes
        .findById(changeId(caseId, version), { entry: 1 })
        .lean<Pick<CaseChangeRecord, 'entry'>>();
      return change?.entry ?? null;
    },
  };
}

export interface ComposeDeps {
  reads: CaseReads;
  users: RecipientLookup;
  settings: MailSettings;
  domain: string;
}

/** The deadline a DEADLINE_PASSED entry names, as the case records it now (the last one missed). */
function missedDeadline(
  deadlines: readonly Deadline[],
  kind: string,
): { kind: string; dueAt: string | null } {
  const missed = deadlines.filter((d) => d.kind === kind && d.status === 'missed').at(-1);
  return { kind, dueAt: missed?.dueAt ?? null };
}

/** The entry and deadline a message is about; a warning whose clock stopped is skipped. */
async function subjectOf(reads: CaseReads, n: NotificationRecord, record: CaseWithoutTimeline) {
  let entry: JournalEntry | null = null;
  let deadline: { kind: string; dueAt: string | null } | null = null;
  if (n.deadline) {
    const current = record.deadlines.find(
      (d) => d.kind === n.deadline!.kind && d.startedAt === n.deadline!.startedAt,
    );
    if (current?.status !== 'running') {
      throw new SkipNotification('the deadline is no longer running');
    }
    deadline = { kind: current.kind, dueAt: current.dueAt };
  } else {
    entry = await reads.entryOf(n.caseId!, n.caseVersion);
    if (n.template === 'deadlinePassed' && typeof entry?.data.deadline === 'string') {
      deadline = missedDeadline(record.deadlines, entry.data.deadline);
    }
  }
  return { entry, deadline };
}

/**
 * Loads what the message needs as it is now (the case, the recipient, the journal entry the
 * message is about) and renders it in the recipient's language. Throws SkipNotification when
 * there is nobody to send it to.
 */
export async function compose(
  deps: ComposeDeps,
  n: NotificationRecord,
  now: Date,
): Promise<OutgoingMail> {
  const { reads, users, settings, domain } = deps;
  if (n.template === SET_PASSWORD_TEMPLATE) return composeAccountMail(deps, n, now);
  if (!n.caseId) throw new Error(`notification ${n._id} names no case`);
  const record = await reads.caseById(n.caseId);
  if (!record) throw new SkipNotification('the case no longer exists');
  const user = await users.findById(n.recipientId);
  if (!user) throw new SkipNotification('the recipient account does not exist');
  if (user.disabled) throw new SkipNotification('the recipient account is disabled');
  if (!user.email) throw new SkipNotification('the recipient has no email address');
  if (!isTemplateName(n.template)) throw new Error(`no email template named ${n.template}`);
  const { entry, deadline } = await subjectOf(reads, n, record);

  const caseId = record._id.toHexString();
  const rendered = renderMessage({
    template: n.template,
    locale: user.locale,
    recipientName: user.name,
    caseFacts: record as CaseFactsForMail,
    entry,
    deadline,
    caseUrl: settings.publicUrl
      ? `${settings.publicUrl.replace(/\/+$/, '')}/cases/${caseId}`
      : null,
  });
  return addressed(n, settings, user, rendered, {
    references: `<rd.${caseId}@${domain}>`,
    date: now,
    headers: {
      'X-Redress-Notification': n._id,
      'X-Redress-Case': record.reference,
      // RFC 3834: tells autoresponders not to answer.
      'Auto-Submitted': 'auto-generated',
    },
  });
}
