import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import {
  CreateUserRequest,
  ListUsersQuery,
  ObjectIdParam,
  UpdateUserRequest,
  UserView,
} from './schemas.ts';
import type { UserService } from './service.ts';
import { ContactView, UpdateContactRequest } from './contact.ts';
import { NotFoundError } from '../errors.ts';

/** What account changes need from sign-in (the auth service provides it): users sits below auth. */
export interface SessionRevoker {
  revokeSessionsOf(userId: string): Promise<unknown>;
}

const UserPage = z
  .object({ items: z.array(UserView), nextCursor: z.string().nullable() })
  .meta({ id: 'UserPage' });

export function mountUserRoutes(
  api: ApiRouter,
  deps: { users: UserService; auth: SessionRevoker },
): void {
  api.post(
    '/users',
    {
      summary: 'Create an account (staff or complainant)',
      tags: ['users'],
      access: ['admin'],
      body: CreateUserRequest,
      responses: { 201: { description: 'Created', schema: UserView } },
    },
    async ({ body }, _req, res) => {
      res.status(201).json(await deps.users.createUser(body));
    },
  );

  api.get(
    '/users',
    {
      summary: 'List accounts',
      tags: ['users'],
      access: ['admin'],
      query: ListUsersQuery,
      responses: { 200: { description: 'A page of accounts', schema: UserPage } },
    },
    async ({ query }, _req, res) => {
      res.json(await deps.users.list(query));
    },
  );

  api.get(
    '/me/contact',
    {
      summary:
        'Your contact details (phone, postal address): personal data some consumer bodies require before they take an escalation',
      tags: ['users'],
      access: ['complainant'],
      responses: { 200: { description: 'Your contact details', schema: ContactView } },
    },
    async ({ user }, _req, res) => {
      const contact = await deps.users.contactOf(user.id);
      if (!contact) throw new NotFoundError('complainant');
      res.setHeader('Cache-Control', 'no-store');
      res.json(contact);
    },
  );

  api.put(
    '/me/contact',
    {
      summary:
        'Replace your contact details: the phone number (any format, stored in E.164) and the postal address; null removes one',
      tags: ['users'],
      access: ['complainant'],
      body: UpdateContactRequest,
      responses: {
        200: { description: 'Your contact details now', schema: ContactView },
        400: { description: 'A malformed phone number or address; nothing is changed' },
      },
    },
    async ({ user, body }, _req, res) => {
      const contact = await deps.users.setContact(user.id, body);
      if (!contact) throw new NotFoundError('complainant');
      res.setHeader('Cache-Control', 'no-store');
      res.json(contact);
    },
  );

  api.patch(
    '/users/:id',
    {
      summary: 'Disable, enable, rename or change the role of an account',
      tags: ['users'],
      access: ['admin'],
      params: ObjectIdParam,
      body: UpdateUserRequest,
      responses: { 200: { description: 'Updated', schema: UserView } },
    },
    async ({ params, body }, _req, res) => {
      const updated = await deps.users.update(params.id, body);
      // Sessions carry a copy of the account, so any change ends them: a disabled account or a
      // new role must not keep working under an old token.
      await deps.auth.revokeSessionsOf(params.id);
      res.json(updated);
    },
  );
}
