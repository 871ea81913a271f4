import { z } from 'zod';
import { PageLimit, objectIdString } from '../query-schemas.ts';
import { NOTIFICATION_STATUSES } from './model.ts';

export const NotificationStatus = z.enum(NOTIFICATION_STATUSES);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

export const ListNotificationsQuery = z.strictObject({
  status: NotificationStatus.optional(),
  caseId: objectIdString('case id').optional(),
  limit: PageLimit,
  /** `nextCursor` of the previous page. */
  cursor: z
    .string()
    .max(300)
    .regex(/^[\w-]+$/, 'not a valid cursor')
    .optional(),
});
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

export const NotificationIdParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\w:.-]+$/, 'not a valid notification id'),
});

export const NotificationView = z
  .object({
    id: z.string(),
    /** Null for account emails (the set-password link). */
    caseId: z.string().nullable(),
    caseReference: z.string().nullable(),
    caseVersion: z.number().int(),
    entrySeq: z.number().int(),
    template: z.string(),
    recipientId: z.string(),
    status: NotificationStatus,
    attempts: z.number().int(),
    /** Attempts left before it parks (0 once parked). */
    attemptsLeft: z.number().int(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    messageId: z.string(),
    sentAt: z.string().nullable(),
    smtpResponse: z.string().nullable(),
    parkedAt: z.string().nullable(),
    requeues: z.number().int(),
    createdAt: z.string(),
  })
  .meta({
    id: 'Notification',
    description: 'One email to one person about one case change (or their account)',
  });
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationPage = z
  .object({ items: z.array(NotificationView), nextCursor: z.string().nullable() })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;
