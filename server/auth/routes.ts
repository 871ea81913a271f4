import { ForbiddenError, ValidationError } from '../errors.ts';
import type { PasswordLinks } from '../users/password-links.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { fieldsIn } from '../http/problem.ts';
import { RegisterRequest, SetPasswordRequest, UserView } from '../users/schemas.ts';
import { toUserView, type UserService } from '../users/service.ts';
import { clearSessionCookies, csrfTokenFor, setSessionCookies } from './cookies.ts';
import { BrowserSession, CurrentSession, LoginRequest, LoginResponse } from './schemas.ts';
import type { AuthService } from './service.ts';

export function mountAuthRoutes(
  api: ApiRouter,
  deps: {
    auth: AuthService;
    users: UserService;
    registrationOpen: boolean;
    passwordLinks: PasswordLinks;
  },
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
      responses: {
        201: { description: 'Registered', schema: UserView },
        429: { description: 'Too many registrations from this address in the window' },
      },
    },
    async ({ body }, req, res) => {
      if (!deps.registrationOpen) throw new ForbiddenError('Self-registration is turned off here.');
      await deps.auth.takeRegistration(req.ip ?? 'unknown');
      const user = await deps.users.createUser({ ...body, role: 'complainant' });
      res.status(201).json(user);
    },
  );

  api.post(
    '/auth/password',
    {
      summary:
        'Set a password with the emailed link (`token` from `/set-password?token=`): the link works once, for 7 days, and only the newest one',
      tags: ['auth'],
      access: 'public',
      body: SetPasswordRequest,
      responses: {
        204: { description: 'The password is set; sign in with it' },
        400: {
          description: 'The link is not valid, expired, replaced or used (detail says which)',
        },
        429: { description: 'Too many attempts with links that do not work' },
      },
    },
    async ({ body }, req, res) => {
      const ip = req.ip ?? 'unknown';
      await deps.auth.assertLinkNotThrottled(ip);
      let userId;
      try {
        userId = await fieldsIn('body', () => deps.passwordLinks.spend(body.token));
      } catch (error) {
        if (error instanceof ValidationError) await deps.auth.recordLinkFailure(ip);
        throw error;
      }
      const account = await deps.users.findById(userId.toHexString());
      if (!account || account.disabled || !(await deps.users.setPassword(userId, body.password))) {
        throw new ValidationError('This link belongs to an account that is closed.', [
          { path: 'body.token', message: 'the account is closed' },
        ]);
      }
      // Whoever held a session of this account before the new password loses it.
      await deps.auth.revokeSessionsOf(userId.toHexString());
      res.status(204).end();
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
