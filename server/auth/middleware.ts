import type { RequestHandler } from 'express';
import type { AuthService, TokenFailure } from './service.ts';
import type { AuthenticatedUser } from '../users/service.ts';

declare module 'express-serve-static-core' {
  interface Request {
    user?: AuthenticatedUser;
    authFailure?: TokenFailure | 'malformed';
    bearerToken?: string;
  }
}

/**
 * Resolves a bearer token to its user. It never rejects by itself: each endpoint declares
 * who may call it, so a bad token only matters where a user is required.
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const match = /^Bearer ([A-Za-z0-9_\-.~+/]+=*)$/.exec(header);
    if (!match) {
      req.authFailure = 'malformed';
      return next();
    }
    const result = await auth.authenticate(match[1]!);
    if (typeof result === 'string') req.authFailure = result;
    else {
      req.user = result;
      req.bearerToken = match[1]!;
    }
    next();
  };
}
