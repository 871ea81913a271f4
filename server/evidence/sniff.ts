import { isUtf8 } from 'node:buffer';
import { fileTypeFromBuffer } from 'file-type';
import { UnsupportedMediaError } from '../errors.ts';
import type { MediaType } from './schemas.ts';

/** file-type finds every format we accept within its first 4100 bytes (its own sample size). */
export const SNIFF_BYTES = 4_100;

/** Magic-number results we accept, and what we store them as. */
const BINARY_TYPES: Record<string, MediaType> = {
  'image/png': 'image/png',
  // An animated PNG is a PNG: every PNG decoder shows its first frame.
  'image/apng': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/webp': 'image/webp',
  'image/gif': 'image/gif',
  'application/pdf': 'application/pdf',
};

export const EXTENSIONS: Record<MediaType, readonly string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jfif'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'application/pdf': ['pdf'],
  'text/csv': ['csv'],
  'text/plain': ['txt', 'text', 'log'],
  'message/rfc822': ['eml'],
};

const ALLOWED_LIST = 'PNG, JPEG, WebP, GIF, PDF, CSV, plain text or EML';

// The start of a document a browser would sniff as HTML (WHATWG MIME Sniffing §7.1), plus XML
// and SVG. Served as attachments with nosniff they are inert, but they have no business being
// evidence and a renamed HTML page is the classic way to plant script on a file host.
const MARKUP =
  /^<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|\?xml|!--)(?=[\s>/]|$)/i;

// RFC 5322 field names: printable ASCII except the colon.
const HEADER_LINE = /^[!-9;-~]+:/;
const CONTINUATION_LINE = /^[ \t]/;
const MAIL_HEADERS =
  /^(?:from|received|subject|mime-version|message-id|date|return-path|delivered-to|to|reply-to|x-mailer):/i;

const CSV_DECLARED_TYPES = new Set(['text/csv', 'application/csv', 'application/vnd.ms-excel']);

/**
 * Decides what a file is from its bytes as they stream past: magic numbers for the binary
 * formats (file-type), and for the text formats, which have none, "valid UTF-8 without NUL
 * bytes" over the whole file plus a look at how it starts. Throws UnsupportedMediaError as soon
 * as the answer is no, so a refused file is not read to its end.
 */
export class TypeSniffer {
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private decided: MediaType | 'text' | undefined;
  private textKind: MediaType = 'text/plain';
  private utf8Carry: Buffer = Buffer.alloc(0);
  private validUtf8 = true;
  private sawNul = false;

  constructor(private readonly declared: { name: string; type: string }) {}

  /**
   * Looks at the next bytes. Returns a promise only while the head is being sniffed, so the
   * rest of a large file costs no extra turn of the event loop per chunk.
   */
  push(chunk: Buffer): Promise<void> | undefined {
    if (this.decided === undefined) {
      if (this.headLength < SNIFF_BYTES) {
        const wanted = SNIFF_BYTES - this.headLength;
        const part = chunk.length > wanted ? chunk.subarray(0, wanted) : chunk;
        this.head.push(part);
        this.headLength += part.length;
      }
      this.inspectText(chunk);
      return this.headLength >= SNIFF_BYTES ? this.decide() : undefined;
    }
    if (this.decided === 'text') {
      this.inspectText(chunk);
      this.refuseBadText();
    }
    return undefined;
  }

  /** Called once every byte was pushed; the stored media type. */
  async finish(): Promise<MediaType> {
    if (this.decided === undefined) await this.decide();
    if (this.decided !== 'text') return this.decided!;
    if (this.utf8Carry.length) this.validUtf8 = false;
    this.refuseBadText();
    return this.textKind;
  }

  private async decide(): Promise<void> {
    const head = Buffer.concat(this.head, this.headLength);
    const detected = await fileTypeFromBuffer(head);
    if (detected) {
      const media = BINARY_TYPES[detected.mime];
      if (!media) {
        throw new UnsupportedMediaError(
          `The file is ${detected.mime} (.${detected.ext}); evidence must be ${ALLOWED_LIST}.`,
        );
      }
      this.decided = media;
      return;
    }
    const start = stripBom(head).toString('latin1').trimStart();
    if (MARKUP.test(start)) {
      throw new UnsupportedMediaError(
        `The file is HTML or XML markup; evidence must be ${ALLOWED_LIST}.`,
      );
    }
    if (start.startsWith('#!')) {
      throw new UnsupportedMediaError(`The file is a script; evidence must be ${ALLOWED_LIST}.`);
    }
    this.decided = 'text';
    this.textKind = looksLikeEmail(head)
      ? 'message/rfc822'
      : looksLikeCsv(head, this.declared)
        ? 'text/csv'
        : 'text/plain';
    this.refuseBadText();
  }

  private inspectText(chunk: Buffer): void {
    if (!this.sawNul && chunk.includes(0)) this.sawNul = true;
    if (!this.validUtf8) return;
    const bytes = this.utf8Carry.length ? Buffer.concat([this.utf8Carry, chunk]) : chunk;
    const cut = completeUtf8Length(bytes);
    if (!isUtf8(bytes.subarray(0, cut))) this.validUtf8 = false;
    this.utf8Carry = Buffer.from(bytes.subarray(cut));
  }

  private refuseBadText(): void {
    // Mail in a legacy 8-bit charset (GB2312, Latin-1) is still mail: only NUL rules it out.
    const utf8Needed = this.textKind !== 'message/rfc822';
    if (this.sawNul || (utf8Needed && !this.validUtf8)) {
      throw new UnsupportedMediaError(
        `The file is neither a recognised format nor UTF-8 text; evidence must be ${ALLOWED_LIST}.`,
      );
    }
  }
}

function stripBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** How many leading bytes end on a whole UTF-8 sequence; the rest waits for the next chunk. */
function completeUtf8Length(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Whole lines of the head: the last one may have been cut at the sniff limit. */
function headLines(head: Buffer): string[] {
  const lines = stripBom(head).toString('latin1').split(/\r?\n/);
  if (head.length >= SNIFF_BYTES) lines.pop();
  return lines;
}

/** An RFC 5322 message starts with a header block: field lines and folded continuations. */
function looksLikeEmail(head: Buffer): boolean {
  const lines = headLines(head);
  if (!lines[0] || !HEADER_LINE.test(lines[0])) return false;
  let mailHeaders = 0;
  for (const line of lines) {
    if (line === '') break;
    if (CONTINUATION_LINE.test(line)) continue;
    if (!HEADER_LINE.test(line)) return false;
    if (MAIL_HEADERS.test(line)) mailHeaders++;
  }
  return mailHeaders > 0;
}

/**
 * CSV has no signature either: trust the client's word when the first line has a separator,
 * otherwise call it CSV only when several lines carry the same number of commas.
 */
function looksLikeCsv(head: Buffer, declared: { name: string; type: string }): boolean {
  const lines = headLines(head).filter((line) => line.trim() !== '');
  const first = lines[0] ?? '';
  const declaredCsv =
    declared.name.toLowerCase().endsWith('.csv') ||
    CSV_DECLARED_TYPES.has(declared.type.toLowerCase());
  if (declaredCsv) return /[,;\t]/.test(first);
  const commas = lines.slice(0, 10).map((line) => line.split(',').length - 1);
  return commas.length >= 3 && commas[0]! > 0 && commas.every((count) => count === commas[0]);
}
