import type { UserRecord } from '../users/model.ts';
import type { NotificationRecord } from './model.ts';
import type { RenderedMessage } from './render.ts';
import type { OutgoingMail } from './transport.ts';

/** Thrown while composing when there is nobody to send to; the notification is skipped. */
export class SkipNotification extends Error {
  override name = 'SkipNotification';
}

/** Who a message goes to, looked up when it is sent (the account may have changed). */
export interface RecipientLookup {
  findById(id: string): Promise<UserRecord | null>;
}

export interface MailSettings {
  mailFrom: string;
  publicUrl: string | undefined;
}

/** A rendered message addressed to its recipient, with the ids that thread it. */
export function addressed(
  n: NotificationRecord,
  settings: MailSettings,
  user: Pick<UserRecord, 'name' | 'email'>,
  rendered: RenderedMessage,
  thread: Pick<OutgoingMail, 'references' | 'date' | 'headers'>,
): OutgoingMail {
  return {
    id: n._id,
    from: settings.mailFrom,
    to: { name: user.name, address: user.email },
    ...rendered,
    messageId: n.messageId,
    ...thread,
  };
}
