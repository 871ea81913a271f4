import { ForbiddenError } from '../errors.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { RegisterRequest, UserView } from '../users/schemas.ts';
import { toUserView, type UserService } from '../users/service.ts';
import { clearSessionCookies, csrfTokenFor, setSessionCookies } from './cookies.ts';
import { BrowserSession, CurrentSession, LoginRequest, LoginResponse } from './schemas.ts';
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
    '/auth/session',
    {
      summary:
        'Sign in a browser: the session token goes into an httpOnly cookie, and unsafe requests carry the returned csrfToken in X-CSRF-Token',
      tags: ['auth'],
      access: 'public',
      body: LoginRequest,
      responses: { 200: { description: 'Signed in', schema: BrowserSession } },
    },
    async ({ body }, req, res) => {
      const session = await deps.auth.login(body, req.ip ?? 'unknown');
      const csrfToken = setSessionCookies(req, res, session.token, deps.auth.sessionTtlMs);
      res.json(
        BrowserSession.parse({ expiresAt: session.expiresAt, user: session.user, csrfToken }),
      );
    },
  );

  api.get(
    '/auth/session',
    {
      summary:
        'The browser session: the signed-in user and its CSRF token, or user null (never a 401, so a page can ask before anyone signs in)',
      tags: ['auth'],
      access: 'public',
      responses: { 200: { description: 'The session, if any', schema: CurrentSession } },
    },
    async ({ user }, req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      if (!user) {
        res.json(CurrentSession.parse({ user: null }));
        return;
      }
      const record = await deps.users.findById(user.id);
      if (!record || record.disabled) {
        res.json(CurrentSession.parse({ user: null }));
        return;
      }
      res.json(
        CurrentSession.parse({
          user: toUserView(record),
          ...(req.sessionSource === 'cookie' ? { csrfToken: csrfTokenFor(req.bearerToken!) } : {}),
        }),
      );
    },
  );

  api.post(
    '/auth/logout',
    {
      summary: 'Revoke the session used for this call (bearer token or browser cookie)',
      tags: ['auth'],
      access: 'authenticated',
      responses: { 204: { description: 'Signed out' } },
    },
    async (_input, req, res) => {
      await deps.auth.logout(req.bearerToken!);
      if (req.sessionSource === 'cookie') clearSessionCookies(req, res);
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
