import { EXTENSIONS } from './sniff.ts';
import type { MediaType } from './schemas.ts';

export const NAME_MAX_BYTES = 255;
const FALLBACK_NAME = 'evidence';

// C0 and C1 controls, DEL, and the bidirectional overrides that make `gpj.exe` read as
// `exe.jpg` in a file list.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The client's file name reduced to something safe to show and to send back in a header: the
 * last path component only (`../../etc/passwd` → `passwd`, Windows paths too), no control or
 * bidi characters, NFC, at most 255 UTF-8 bytes with the extension kept. It is metadata only;
 * stored bytes live under their hash, never under this name.
 */
export function sanitizeFilename(raw: string | undefined): string {
  const lastComponent = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastComponent.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return FALLBACK_NAME;
  return truncateKeepingExtension(cleaned, NAME_MAX_BYTES);
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = extension ? name.slice(0, dot) : name;
  return cutToBytes(stem, maxBytes - Buffer.byteLength(extension)).trimEnd() + extension;
}

/** Cuts at a code point boundary (never half a character, never half a surrogate pair). */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * The name a download is saved under: the stored name, plus the extension of what the file
 * really is when the client's name claims something else (`statement.pdf` holding a PNG is
 * saved as `statement.pdf.png`, so no program opens it as the wrong type).
 */
export function downloadName(originalName: string, mediaType: MediaType): string {
  const extensions = EXTENSIONS[mediaType];
  const dot = originalName.lastIndexOf('.');
  const current = dot > 0 ? originalName.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(current)) return originalName;
  return truncateKeepingExtension(`${originalName}.${extensions[0]}`, NAME_MAX_BYTES);
}

/**
 * `attachment` with an ASCII fallback for old clients and the exact UTF-8 name in RFC 5987 /
 * RFC 6266 `filename*`, so Chinese names survive the round trip.
 */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
