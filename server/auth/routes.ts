import { ForbiddenError } from '../errors.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { RegisterRequest, UserView } from '../users/schemas.ts';
import type { UserService } from '../users/service.ts';
import { LoginRequest, LoginResponse } from './schemas.ts';
import type { AuthService } from './service.ts';

export function mountAuthRoutes(
  api: ApiRouter,
  deps: { auth: AuthService; users: UserService; registrationOpen: boolean },
): void {
  api.post(
    '/auth/login',
    {
      summary: 'Sign in and receive a bearer token',
      tags: ['auth'],
      access: 'public',
      body: LoginRequest,
      responses: { 200: { description: 'Signed in', schema: LoginResponse } },
    },
    async ({ body }, req, res) => {
      res.json(await deps.auth.login(body, req.ip ?? 'unknown'));
    },
  );

  api.post(
    '/auth/logout',
    {
      summary: 'Revoke the bearer token used for this call',
      tags: ['auth'],
      access: 'authenticated',
      responses: { 204: { description: 'Signed out' } },
    },
    async (_input, req, res) => {
      await deps.auth.logout(req.bearerToken!);
      res.status(204).end();
    },
  );

  api.post(
    '/auth/register',
    {
      summary: 'Register as a complainant',
      tags: ['auth'],
      access: 'public',
      body: RegisterRequest,
      responses: { 201: { description: 'Registered', schema: UserView } },
    },
    async ({ body }, _req, res) => {
      if (!deps.registrationOpen) throw new ForbiddenError('Self-registration is turned off here.');
      const user = await deps.users.createUser({ ...body, role: 'complainant' });
      res.status(201).json(user);
    },
  );

  api.get(
    '/me',
    {
      summary: 'The signed-in user',
      tags: ['auth'],
      access: 'authenticated',
      responses: { 200: { description: 'You', schema: UserView } },
    },
    async ({ user }, _req, res) => {
      const record = await deps.users.findById(user.id);
      res.json(
        UserView.parse({
          ...user,
          disabled: record?.disabled ?? false,
          createdAt: record?.createdAt.toISOString() ?? '',
        }),
      );
    },
  );
}
