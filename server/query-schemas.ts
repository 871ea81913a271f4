import { z } from 'zod';

/**
 * Request-schema pieces every module's routes share, so that an id or a page size means the
 * same thing everywhere.
 */
export const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** A 24-hex-digit id; `what` names it in the error ("not a valid cursor"). */
export function objectIdString(what = 'id') {
  return z.string().regex(OBJECT_ID, `not a valid ${what}`);
}

/** How many items a page holds: 1 to 200, 50 when not given. */
export const PageLimit = z.coerce.number().int().min(1).max(200).default(50);
