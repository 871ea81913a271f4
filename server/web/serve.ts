import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { NotFoundError } from '../errors.ts';

/** Paths that belong to the server; everything else is the single-page app's to route. */
const SERVER_PATHS = /^\/(api|docs|openapi\.json|healthz|readyz|metrics)(\/|$)/;
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * Self only, no inline script. Mantine writes its CSS variables into <style> elements, so
 * styles also accept this response's nonce, which the page reads from its meta tag.
 */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built web app (web/dist): hashed assets cached for a year, index.html never
 * cached and given a fresh CSP nonce on each response, and index.html for every browser path
 * outside the server's own.
 */
export function webApp(distDir: string): Router {
  const router = Router();
  const indexPath = join(distDir, 'index.html');
  let cached: { mtimeMs: number; html: string } | undefined;

  function indexHtml(): string | undefined {
    if (!existsSync(indexPath)) return undefined;
    const mtimeMs = statSync(indexPath).mtimeMs;
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexPath, 'utf8') };
    return cached.html;
  }

  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
    // A missing asset is a 404, never the page: a stale page asking for an old hash must fail loudly.
    (_req: Request, _res: Response, next: NextFunction) =>
      next(new NotFoundError('asset (reload the page for the current version)')),
  );
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));

  router.get(/.*/, (req: Request, res: Response, next) => {
    if (SERVER_PATHS.test(req.path)) return next();
    const html = indexHtml();
    if (html === undefined) {
      res
        .status(503)
        .type('text/plain')
        .send('The web app is not built yet: `npm start` builds it, or run `npm run web:build`.');
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(html.replaceAll(NONCE_PLACEHOLDER, nonce));
  });
  return router;
}
