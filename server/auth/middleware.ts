import type { RequestHandler } from 'express';
import { passesCsrfCheck, readCookie, sessionCookieName } from './cookies.ts';
import type { AuthService, TokenFailure } from './service.ts';
import type { AuthenticatedUser } from '../users/service.ts';

export type AuthFailure = TokenFailure | 'malformed' | 'csrf';

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthenticatedUser;
    authFailure?: AuthFailure;
    /** The session token this request was authenticated with, from the header or the cookie. */
    bearerToken?: string;
    /** How the token came: a cookie-borne session must also be cleared on sign-out. */
    sessionSource?: 'bearer' | 'cookie';
  }
}

/**
 * Resolves a bearer token, else the browser's session cookie, to its user. It never rejects
 * by itself: each endpoint declares who may call it, so a bad token only matters where a
 * user is required. A bearer header wins over a cookie, so API clients are never subject to
 * the CSRF check.
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/.exec(header);
      if (!match) req.authFailure = 'malformed';
      else await resolve(match[1]!, 'bearer');
      return next();
    }
    const cookie = readCookie(req, sessionCookieName(req));
    if (cookie) {
      if (!passesCsrfCheck(req, cookie)) req.authFailure = 'csrf';
      else await resolve(cookie, 'cookie');
    }
    next();

    async function resolve(token: string, source: 'bearer' | 'cookie'): Promise<void> {
      const result = await auth.authenticate(token);
      if (typeof result === 'string') req.authFailure = result;
      else {
        req.user = result;
        req.bearerToken = token;
        req.sessionSource = source;
      }
    }
  };
}
