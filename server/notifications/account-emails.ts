import type { Clock } from '../clock.ts';
import type { NotificationRecord } from './model.ts';
import type { InsertNotification } from './queue.ts';
import { renderSetPasswordMessage } from './render.ts';
import type { OutgoingMail } from './transport.ts';
import {
  addressed,
  SkipNotification,
  type MailSettings,
  type RecipientLookup,
} from './compose-types.ts';

/** The email that carries a set-password link (server/users/password-links.ts). */
export const SET_PASSWORD_TEMPLATE = 'setPassword';

/**
 * Queues the set-password email of an account opened on someone's behalf; the dispatcher
 * sends it like any other (claims, retries, parking). `linkId` identifies the token (never
 * the token itself) and makes the notification id, so queueing twice sends once.
 */
export function createAccountEmails(deps: {
  insertNotification: InsertNotification;
  clock: Clock;
  domain: string;
}) {
  const { insertNotification, clock, domain } = deps;
  return async function queueSetPasswordEmail(input: {
    userId: string;
    linkId: string;
    token: string;
    expiresAt: Date;
  }): Promise<void> {
    const now = clock.now();
    await insertNotification({
      _id: `account:${input.linkId}`,
      caseId: null,
      caseVersion: 0,
      entrySeq: 0,
      template: SET_PASSWORD_TEMPLATE,
      recipientId: input.userId,
      messageId: `<rd.account.${input.linkId}.${SET_PASSWORD_TEMPLATE}.${input.userId}@${domain}>`,
      deadline: null,
      createdAt: now,
      nextAttemptAt: now,
      secret: input.token,
      linkExpiresAt: input.expiresAt,
    });
  };
}

/** The set-password email: no case, the link from the token the notification carries. */
export async function composeAccountMail(
  deps: { users: RecipientLookup; settings: MailSettings },
  n: NotificationRecord,
  now: Date,
): Promise<OutgoingMail> {
  const { settings } = deps;
  const user = await deps.users.findById(n.recipientId);
  if (!user) throw new SkipNotification('the recipient account does not exist');
  if (user.disabled) throw new SkipNotification('the recipient account is disabled');
  if (!n.secret) throw new SkipNotification('the link was already sent or replaced');
  if (n.linkExpiresAt && n.linkExpiresAt.getTime() <= now.getTime()) {
    throw new SkipNotification('the link has expired');
  }
  const path = `/set-password?token=${encodeURIComponent(n.secret)}`;
  // Without PUBLIC_URL the server does not know its own address: the email names the path.
  const link = settings.publicUrl ? `${settings.publicUrl.replace(/\/+$/, '')}${path}` : path;
  const rendered = renderSetPasswordMessage({
    locale: user.locale,
    recipientName: user.name,
    link,
    linkIsRelative: !settings.publicUrl,
    expiresAt: (n.linkExpiresAt ?? now).toISOString(),
  });
  return addressed(n, settings, user, rendered, {
    references: n.messageId,
    date: now,
    headers: { 'X-Redress-Notification': n._id, 'Auto-Submitted': 'auto-generated' },
  });
}
