import type { ByteRange } from './store.ts';

/**
 * Reads a `Range` header (RFC 9110 §14) for a representation of `size` bytes. Only a single
 * byte range is served; anything else this server may ignore (the whole file is sent), except
 * a range that starts past the end, which is answered with 416.
 */
export function parseRange(
  header: string | undefined,
  size: number,
  ifRange: string | undefined,
  etag: string,
): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  // If-Range names the version the client holds a part of; another version gets the whole.
  if (ifRange !== undefined && ifRange !== etag) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}
