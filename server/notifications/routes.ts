import type { ApiRouter } from '../http/api-router.ts';
import { fieldsIn } from '../http/problem.ts';
import {
  ListNotificationsQuery,
  NotificationIdParams,
  NotificationPage,
  NotificationView,
} from './schemas.ts';
import type { NotificationService } from './service.ts';

export function mountNotificationRoutes(
  api: ApiRouter,
  deps: { notifications: NotificationService },
): void {
  const { notifications } = deps;

  api.get(
    '/notifications',
    {
      summary:
        'List email notifications, newest first (e.g. status=parked to find undelivered ones)',
      tags: ['notifications'],
      access: ['officer'],
      query: ListNotificationsQuery,
      responses: { 200: { description: 'A page of notifications', schema: NotificationPage } },
    },
    async ({ query }, _req, res) => {
      res.json(await fieldsIn('query', () => notifications.list(query)));
    },
  );

  api.post(
    '/notifications/:id/retry',
    {
      summary: 'Requeue a parked notification with a fresh set of attempts',
      tags: ['notifications'],
      access: ['officer'],
      params: NotificationIdParams,
      responses: {
        200: { description: 'Requeued; due now', schema: NotificationView },
        409: { description: 'The notification is not parked' },
      },
    },
    async ({ params, user }, _req, res) => {
      res.json(await notifications.retry(params.id, user));
    },
  );
}
