import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** The browser's session: the same opaque token the API issues, out of JavaScript's reach. */
export const SESSION_COOKIE = 'redress_session';
/**
 * Its name over HTTPS. The `__Host-` prefix makes browsers accept it only with Secure, Path=/
 * and no Domain, so a sibling subdomain or a plain-HTTP page cannot plant or shadow it.
 */
export const SECURE_SESSION_COOKIE = '__Host-redress_session';
/** Readable by the page, which repeats it in CSRF_HEADER on every unsafe request. */
export const CSRF_COOKIE = 'redress_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF token is derived from the session token, so a cookie planted by a sibling host
 * cannot pair with someone else's session, and no extra state is stored.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`redress-csrf\0${sessionToken}`).digest('base64url');
}

/** Only the name that fits the request is read: over HTTPS an unprefixed cookie is ignored. */
export function sessionCookieName(req: Request): string {
  return req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function setSessionCookies(
  req: Request,
  res: Response,
  token: string,
  ttlMs: number,
): string {
  const csrf = csrfTokenFor(token);
  // Max-Age, not Expires: the browser's clock need not agree with the server's.
  const common = { path: '/', sameSite: 'lax' as const, secure: req.secure, maxAge: ttlMs };
  res.cookie(sessionCookieName(req), token, { ...common, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrf, { ...common, httpOnly: false });
  return csrf;
}

export function clearSessionCookies(req: Request, res: Response): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: req.secure };
  res.clearCookie(sessionCookieName(req), { ...common, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, common);
}

/**
 * Whether a request that rides on the session cookie may change anything: safe methods always,
 * others only with the session's CSRF token in the header and, when the browser names one,
 * an Origin equal to this server's own.
 */
export function passesCsrfCheck(req: Request, sessionToken: string): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `${req.protocol}://${req.get('host') ?? ''}`) return false;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
