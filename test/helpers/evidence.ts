import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { expect } from 'chai';
import type { Binary } from 'mongodb';
import { Types } from 'mongoose';
import { startTestServer, type TestServer } from './server.ts';
import { createUser, type TestUser } from './users.ts';

// Small fixtures made in code: real enough for a magic-number sniffer, a few hundred bytes each.

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 RGB PNG whose pixel colour comes from `seed`; `padTo` appends bytes after IEND. */
export function png(seed = 1, padTo = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const pixel = Buffer.from([0, seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff]);
  const image = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(pixel)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  return padTo > image.length ? Buffer.concat([image, filler(padTo - image.length, seed)]) : image;
}

/** Deterministic, incompressible-looking bytes. */
export function filler(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let block = Buffer.alloc(0);
  for (let offset = 0, counter = 0; offset < length; offset += block.length, counter++) {
    block = createHash('sha256').update(`${seed}:${counter}`).digest();
    block.copy(out, offset);
  }
  return out;
}

export function pdf(seed = 1): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n` +
      `2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% seed ${seed}\n` +
      `trailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

export function gif(seed = 1): Buffer {
  return Buffer.concat([
    Buffer.from('GIF89a', 'ascii'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]),
    Buffer.from([seed & 0xff, 0, 0, 0xff, 0xff, 0xff]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]),
  ]);
}

export function jpeg(seed = 1): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'ascii'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    filler(32, seed),
    Buffer.from([0xff, 0xd9]),
  ]);
}

export function webp(seed = 1): Buffer {
  const payload = Buffer.concat([Buffer.from('VP8L', 'ascii'), Buffer.from([5, 0, 0, 0])]);
  const data = Buffer.concat([payload, Buffer.from([0x2f, 0, 0, 0, seed & 0xff])]);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(4 + data.length, 4);
  header.write('WEBP', 8, 'ascii');
  return Buffer.concat([header, data]);
}

/** The start of a Windows PE executable. */
export function exe(): Buffer {
  const bytes = Buffer.alloc(512);
  bytes.write('MZ', 0, 'ascii');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'ascii');
  return bytes;
}

/** The start of a Linux ELF executable. */
export function elf(): Buffer {
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
}

export const html = () =>
  Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>');

export const eml = () =>
  Buffer.from(
    'Received: from mx.bank.example by mail.example\r\nFrom: 客服 <service@bank.example>\r\n' +
      'To: user@example.com\r\nSubject: =?UTF-8?B?6YCA5qy+?=\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n\r\n您的退款已处理。\r\n',
  );

export const csv = () => Buffer.from('date,amount,merchant\n2026-11-01,1299.00,某某商户\n');

export const text = (seed = 1) => Buffer.from(`聊天记录 ${seed}\n客服：请稍候。\n`);

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface FilePart {
  name: string;
  content: Buffer;
  type?: string;
  /** Sent as RFC 5987 `filename*` (percent-encoded UTF-8) instead of a quoted name. */
  encodedName?: string;
  field?: string;
}

/** A multipart body built byte by byte, for what form-data would clean up (paths, controls). */
export function multipartBody(
  files: FilePart[],
  fields: Record<string, string>,
  boundary = '----redress-test-boundary',
): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  for (const file of files) {
    const filename = file.encodedName
      ? `filename*=UTF-8''${file.encodedName}`
      : `filename="${file.name}"`;
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'files'}"; ${filename}\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** False when the connection was cut before the announced length arrived. */
  complete: boolean;
}

/** A request through node:http, reporting a cut response instead of failing on it. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers });
    let response: RawResponse | undefined;
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      response = {
        status: res.statusCode!,
        headers: res.headers,
        body: Buffer.alloc(0),
        complete: false,
      };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const finish = () => {
        response!.body = Buffer.concat(chunks);
        response!.complete = res.complete;
        resolve(response!);
      };
      res.on('end', finish);
      res.on('aborted', finish);
      res.on('error', finish);
    });
    req.on('error', (error) => (response ? resolve(response) : reject(error)));
    req.end(options.body);
  });
}

/**
 * Sends the request line, headers (announcing the whole body) and the first `sendBytes` of the
 * body, waits until `untilReady` says the server is busy with it, then kills the socket.
 */
export async function sendAndCut(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  sendBytes: number,
  untilReady: () => Promise<boolean>,
): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const head =
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${body.length}\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  socket.write(head);
  socket.write(body.subarray(0, sendBytes));
  await eventually(untilReady, 5_000);
  socket.destroy();
}

export async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function uploadDir(t: TestServer): string {
  return t.server.config.uploadDir;
}

export async function tempFiles(t: TestServer): Promise<string[]> {
  return readdir(join(uploadDir(t), '.tmp')).catch(() => []);
}

/** The sha256 of every object in the evidence store, whichever backend it is. */
export async function storedObjects(t: TestServer): Promise<string[]> {
  if (t.server.config.evidence.storage === 'gridfs') {
    const files = await t.server.database.connection
      .collection('evidence.files')
      .find({}, { projection: { filename: 1 } })
      .toArray();
    return files.map((file) => String(file.filename)).sort();
  }
  const found: string[] = [];
  const root = uploadDir(t);
  for (const a of await readdir(root).catch(() => [])) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await readdir(join(root, a))) {
      for (const name of await readdir(join(root, a, b))) found.push(name);
    }
  }
  return found.sort();
}

/** Empties cases and the evidence store, keeping the users (signing in is the slow part). */
export async function resetEvidence(t: TestServer): Promise<void> {
  const db = t.server.database.connection;
  await Promise.all(
    ['cases', 'case_changes', 'evidence.files', 'evidence.chunks'].map((name) =>
      db.collection(name).deleteMany({}),
    ),
  );
  const root = uploadDir(t);
  for (const entry of await readdir(root).catch(() => [])) {
    await rm(join(root, entry), { recursive: true, force: true });
  }
}

/** Changes stored bytes behind the server's back, keeping their length. */
export async function tamper(t: TestServer, sha: string): Promise<void> {
  if (t.server.config.evidence.storage === 'gridfs') {
    const db = t.server.database.connection;
    const file = await db.collection('evidence.files').findOne({ filename: sha });
    const chunk = await db.collection('evidence.chunks').findOne({ files_id: file!._id, n: 0 });
    const binary = chunk!.data as Binary;
    const data = Buffer.from(binary.buffer.subarray(0, binary.length()));
    data[data.length - 1] = data.at(-1)! ^ 0xff;
    await db.collection('evidence.chunks').updateOne({ _id: chunk!._id }, { $set: { data } });
    return;
  }
  const path = join(uploadDir(t), sha.slice(0, 2), sha.slice(2, 4), sha);
  const bytes = await readFile(path);
  bytes[bytes.length - 1] = bytes.at(-1)! ^ 0xff;
  await writeFile(path, bytes);
}

/** Sends a multipart upload through supertest (form-data builds the body). */
export function upload(
  t: TestServer,
  user: TestUser,
  caseId: string,
  files: FilePart[],
  fields: Record<string, string> = { kind: 'screenshot' },
) {
  let req = t.http.post(`/api/v1/cases/${caseId}/evidence`).set(user.auth);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  for (const file of files) {
    req = req.attach(file.field ?? 'files', file.content, {
      filename: file.name,
      contentType: file.type ?? 'application/octet-stream',
    });
  }
  return req;
}

/** Sends a hand-built multipart body (see multipartBody). */
export function uploadRaw(
  t: TestServer,
  user: TestUser,
  caseId: string,
  files: FilePart[],
  fields: Record<string, string> = { kind: 'screenshot' },
) {
  const { body, contentType } = multipartBody(files, fields);
  return t.http
    .post(`/api/v1/cases/${caseId}/evidence`)
    .set(user.auth)
    .set('Content-Type', contentType)
    .send(body);
}

export const BACKENDS = ['fs', 'gridfs'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface EvidenceWorld {
  t: TestServer;
  complainant: TestUser;
  stranger: TestUser;
  officer: TestUser;
  compliance: TestUser;
  admin: TestUser;
}

/**
 * A server on `backend` with small limits (256 kB a file, 1 MB a case) so the limit tests stay
 * fast, and one user of each kind, created once: tests reset cases and the store, not users.
 */
export async function startEvidenceWorld(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<EvidenceWorld> {
  const t = await startTestServer({
    EVIDENCE_STORAGE: backend,
    UPLOAD_MAX_FILE_BYTES: '256kb',
    UPLOAD_MAX_CASE_BYTES: '1mb',
    ...env,
  });
  return {
    t,
    complainant: await createUser(t, 'complainant', { locale: 'zh-CN' }),
    stranger: await createUser(t, 'complainant'),
    officer: await createUser(t, 'officer'),
    compliance: await createUser(t, 'compliance'),
    admin: await createUser(t, 'admin'),
  };
}

/** What a test asserts after any refused upload: nothing recorded, stored or left behind. */
export async function expectNothingKept(t: TestServer, caseId: string): Promise<void> {
  const record = await t.server.database.connection
    .collection('cases')
    .findOne({ _id: new Types.ObjectId(caseId) });
  expect(record?.evidenceCount, 'evidenceCount').to.equal(0);
  expect(record?.evidence ?? [], 'case.evidence').to.deep.equal([]);
  expect(
    (record?.timeline as { type: string }[]).map((entry) => entry.type),
    'timeline',
  ).to.deep.equal(['FILED']);
  expect(await storedObjects(t), 'stored objects').to.deep.equal([]);
  expect(await tempFiles(t), 'temp files').to.deep.equal([]);
}
