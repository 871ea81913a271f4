import type { RequestHandler } from 'express';
import { ValidationError, type FieldIssue } from '../errors.ts';

// NUL cannot be stored (PostgreSQL's jsonb refuses \u0000, so FerretDB fails the write) and a
// lone UTF-16 surrogate is not text at all; either would otherwise surface as a 500.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_ISSUES = 20;

function findBadText(value: unknown, path: string, found: FieldIssue[]): void {
  if (found.length >= MAX_ISSUES) return;
  if (typeof value === 'string') {
    if (NOT_TEXT.test(value))
      found.push({ path, message: 'contains a NUL character or an unpaired surrogate' });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findBadText(item, `${path}.${index}`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (NOT_TEXT.test(key)) found.push({ path, message: 'has a key that is not text' });
      findBadText(item, `${path}.${key}`, found);
    }
  }
}

/** Refuses, with a 400 naming each field, any JSON body or query string holding non-text. */
export function refuseNonText(): RequestHandler {
  return (req, _res, next) => {
    const found: FieldIssue[] = [];
    findBadText(req.body, 'body', found);
    findBadText(req.query, 'query', found);
    if (found.length)
      return next(new ValidationError('Some text in the request is not valid text.', found));
    next();
  };
}
