import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  from: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  raw: Buffer;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, the same across down()/up(). */
  url: string;
  /** Every message accepted, in order. */
  messages: ReceivedMail[];
  /** Messages whose envelope went to `address`. */
  to(address: string): ReceivedMail[];
  /** Answers RCPT TO for `address` with `code` (550 by default) until accepted again. */
  rejectRecipient(address: string, code?: number): void;
  acceptRecipient(address: string): void;
  /** Waits this long before greeting each new connection (a slow server); 0 to stop. */
  delayGreeting(ms: number): void;
  /** Answers every new connection with this code (e.g. 421, busy) instead of a greeting; null to stop. */
  refuseConnections(code: number | null): void;
  /** Stops listening: connections are refused, as when the server is down. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  clear(): void;
  stop(): Promise<void>;
}

/** A real SMTP server on a free port that parses what it receives with mailparser. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const rejected = new Map<string, number>();
  let greetingDelayMs = 0;
  let refuseWith: number | null = null;

  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onConnect(_session, callback) {
      const answer = () =>
        refuseWith
          ? callback(
              Object.assign(new Error('service not available, try later'), {
                responseCode: refuseWith,
              }),
            )
          : callback();
      if (greetingDelayMs > 0) setTimeout(answer, greetingDelayMs).unref();
      else answer();
    },
    onRcptTo(address, _session, callback) {
      const code = rejected.get(address.address.toLowerCase());
      if (code) {
        const error = Object.assign(new Error(`mailbox ${address.address} unavailable`), {
          responseCode: code,
        });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers: parsed.headers,
              raw,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  };

  // A sender killed mid-session resets its connection: that is the client's failure, which a
  // real mail server logs and survives.
  const ignoreResets = (smtp: SMTPServer) => smtp.on('error', () => {});
  let server = new SMTPServer(options);
  ignoreResets(server);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  let listening = true;

  const close = async () => {
    if (!listening) return;
    listening = false;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    rejectRecipient(address, code = 550) {
      rejected.set(address.toLowerCase(), code);
    },
    acceptRecipient(address) {
      rejected.delete(address.toLowerCase());
    },
    delayGreeting(ms) {
      greetingDelayMs = ms;
    },
    refuseConnections(code) {
      refuseWith = code;
    },
    down: close,
    async up() {
      if (listening) return;
      server = new SMTPServer(options);
      ignoreResets(server);
      server.listen(port, '127.0.0.1');
      await once(server.server, 'listening');
      listening = true;
    },
    clear() {
      messages.length = 0;
      rejected.clear();
      greetingDelayMs = 0;
      refuseWith = null;
    },
    stop: close,
  };
}
