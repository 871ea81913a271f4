import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

/** One rendered email, ready for a transport. */
export interface OutgoingMail {
  /** The notification id, for file names and headers. */
  id: string;
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** `<...@domain>`: the same for every attempt, so a resend is recognisable. */
  messageId: string;
  /** Groups every email of a case into one thread in mail clients. */
  references: string;
  date: Date;
  headers: Record<string, string>;
}

export interface MailTransport {
  /** `smtp` for SMTP_URL, `outbox` for .eml files in OUTBOX_DIR. */
  readonly kind: 'smtp' | 'outbox';
  /** Resolves with the server's response (or the file written); rejects when not delivered. */
  send(mail: OutgoingMail): Promise<{ response: string }>;
  close(): void;
}

export interface TransportOptions {
  smtpUrl: string | undefined;
  outboxDir: string;
  mail: Pick<
    Config['mail'],
    'smtpTimeoutMs' | 'requireTls' | 'tlsRejectUnauthorized' | 'tlsCaFile'
  >;
  logger: Logger;
}

/** SMTP when SMTP_URL is set; otherwise every message becomes an .eml file in OUTBOX_DIR. */
export function createMailTransport(options: TransportOptions): MailTransport {
  return options.smtpUrl ? smtpTransport(options, options.smtpUrl) : outboxTransport(options);
}

function smtpTransport(options: TransportOptions, url: string): MailTransport {
  const { mail } = options;
  const transporter = nodemailer.createTransport({
    url,
    // One connection per message: the dispatcher sends one at a time and a pooled connection
    // would hide a server that went away until the next message hits the dead socket.
    pool: false,
    // Bounded waits, so a slow or silent server fails an attempt instead of hanging the
    // dispatcher; MAIL_LEASE_MS is kept longer than these together (config.ts).
    connectionTimeout: mail.smtpTimeoutMs,
    greetingTimeout: mail.smtpTimeoutMs,
    socketTimeout: mail.smtpTimeoutMs,
    dnsTimeout: mail.smtpTimeoutMs,
    requireTLS: mail.requireTls,
    tls: {
      rejectUnauthorized: mail.tlsRejectUnauthorized,
      ...(mail.tlsCaFile ? { ca: readFileSync(mail.tlsCaFile) } : {}),
    },
    // Our messages never reference files or URLs; refuse them outright.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transporter.sendMail(toNodemailer(message));
      // A message with one recipient either goes or throws, but be explicit about it.
      if (info.rejected.length) {
        throw Object.assign(new Error(`recipient rejected: ${info.rejected.join(', ')}`), {
          code: 'EENVELOPE',
          response: info.response,
        });
      }
      return { response: info.response };
    },
    close: () => transporter.close(),
  };
}

function outboxTransport(options: TransportOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  let ready: Promise<unknown> | undefined;
  return {
    kind: 'outbox',
    async send(message) {
      ready ??= mkdir(options.outboxDir, { recursive: true });
      await ready;
      const info = await transporter.sendMail(toNodemailer(message));
      const stamp = message.date.toISOString().replace(/[-:]/g, '').replace('.', '');
      const path = join(options.outboxDir, `${stamp}-${message.id.replace(/[^\w.-]/g, '_')}.eml`);
      // Written aside and renamed, so a reader of the outbox never sees half a message.
      await writeFile(`${path}.tmp`, info.message as Buffer);
      await rename(`${path}.tmp`, path);
      options.logger.info({ path, to: message.to.address }, 'email written to the outbox');
      return { response: `written to ${path}` };
    },
    close: () => transporter.close(),
  };
}

function toNodemailer(message: OutgoingMail) {
  return {
    from: message.from,
    to: { name: message.to.name, address: message.to.address },
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    references: message.references,
    date: message.date,
    headers: message.headers,
  };
}

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EAUTH',
  'ENOAUTH',
  'EPROXY',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/**
 * True when the mail server itself is unreachable or refuses us (down, timing out, TLS or
 * login failing, 421 "service not available"), as opposed to refusing one message. Then every
 * further message would fail the same way.
 */
export function isServerFailure(error: unknown): boolean {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || responseCode === 421;
}

/** One line for `lastError`: code, SMTP reply and message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, responseCode, response } = error as Error & {
    code?: string;
    responseCode?: number;
    response?: string;
  };
  const parts = [code, responseCode, error.message].filter((part) => part !== undefined);
  const text = parts.join(' ');
  const detail = response && !error.message.includes(response) ? ` (${response})` : '';
  return `${text}${detail}`.slice(0, 1_000);
}

/** The SMTP reply that came with a failure, if any. */
export function errorResponse(error: unknown): string | null {
  const response = (error as { response?: unknown } | null)?.response;
  return typeof response === 'string' ? response.slice(0, 1_000) : null;
}
