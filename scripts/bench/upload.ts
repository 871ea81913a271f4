// Upload benchmark: one large evidence file through HTTP against a plain file copy of the same
// file, with the growth of this process's resident memory while the upload runs (the caller
// runs the server in this process, so a server that buffered the file would show it here).
//
// Run alone: `npx tsx scripts/bench/upload.ts [sizeMb]` starts a throwaway FerretDB and server.
import { randomFill } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

export interface UploadBenchOptions {
  baseUrl: string;
  /** A bearer token of the case owner (or an officer). */
  token: string;
  /** A case with room for the file: the server needs UPLOAD_MAX_FILE_BYTES and UPLOAD_MAX_CASE_BYTES above sizeMb. */
  caseId: string;
  sizeMb: number;
  /** Where the generated file and its copy go (removed afterwards). */
  tmpDir: string;
}

export interface UploadBenchResult {
  mb: number;
  mbPerS: number;
  cpMbPerS: number;
  /** Upload throughput over copy throughput: 1 would be as fast as the disk copy. */
  ratio: number;
  rssGrowthMb: number;
}

const MB = 1024 * 1024;
const fill = promisify(randomFill);

/** A PDF header followed by random bytes: sniffed as a PDF, incompressible, hashed in full. */
async function writeFixture(path: string, bytes: number): Promise<void> {
  async function* blocks() {
    const header = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
    let written = 0;
    while (written < bytes) {
      const block = Buffer.alloc(Math.min(MB, bytes - written));
      await fill(block);
      if (written === 0) header.copy(block, 0, 0, Math.min(header.length, block.length));
      written += block.length;
      yield block;
    }
  }
  await pipeline(blocks, createWriteStream(path));
  await flushToDisk(path);
}

/**
 * Writes a file's dirty pages out (untimed), so the next timed phase does not pay for the
 * previous phase's write-back.
 */
async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Streams `path` as the single file of a multipart upload; never holds more than a chunk. */
async function streamUpload(
  opts: UploadBenchOptions,
  path: string,
  size: number,
): Promise<{ status: number; body: string }> {
  const boundary = `----redress-bench-${Date.now()}`;
  const preamble = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nbank_statement\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="bench.pdf"\r\n` +
      `Content-Type: application/pdf\r\n\r\n`,
  );
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`/api/v1/cases/${opts.caseId}/evidence`, opts.baseUrl);
  const req = request(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${opts.token}`,
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': String(preamble.length + size + epilogue.length),
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.once('error', reject);
    });
  });
  await pipeline(async function* () {
    yield preamble;
    yield* createReadStream(path, { highWaterMark: 256 * 1024 });
    yield epilogue;
  }, req);
  return response;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Uploads a generated file of `sizeMb` MB through the API and copies the same file with a
 * stream pipeline, and reports both throughputs and the peak RSS growth during the upload
 * (sampled every 50 ms).
 */
export async function runUploadBench(opts: UploadBenchOptions): Promise<UploadBenchResult> {
  const bytes = Math.round(opts.sizeMb * MB);
  const dir = await mkdtemp(join(opts.tmpDir, 'upload-bench-'));
  try {
    const source = join(dir, 'bench.pdf');
    await writeFixture(source, bytes);

    const copyStarted = performance.now();
    await pipeline(createReadStream(source), createWriteStream(join(dir, 'copy.pdf')));
    const copySeconds = (performance.now() - copyStarted) / 1000;
    await flushToDisk(join(dir, 'copy.pdf'));
    await rm(join(dir, 'copy.pdf'));

    (globalThis as { gc?: () => void }).gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    let result: { status: number; body: string };
    try {
      result = await streamUpload(opts, source, (await stat(source)).size);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (result.status !== 201) {
      throw new Error(`upload failed with ${result.status}: ${result.body.slice(0, 500)}`);
    }

    const mbPerS = opts.sizeMb / seconds;
    const cpMbPerS = opts.sizeMb / copySeconds;
    return {
      mb: opts.sizeMb,
      mbPerS: round(mbPerS),
      cpMbPerS: round(cpMbPerS),
      ratio: round(mbPerS / cpMbPerS, 2),
      rssGrowthMb: round((peak - baseline) / MB),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Standalone run: a throwaway database and server in this process, one case, one upload. */
async function main(): Promise<void> {
  const sizeMb = Number(process.argv[2] ?? 200);
  const { startEmbeddedDatabase } = await import('../../server/db/embedded-ferretdb.ts');
  const { start } = await import('../../server/main.ts');
  const { loadConfig } = await import('../../server/config.ts');
  const dir = await mkdtemp(join(tmpdir(), 'redress-upload-bench-'));
  const db = await startEmbeddedDatabase({ dataDir: join(dir, 'db'), port: 0 });
  try {
    const running = await start({
      config: loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        MONGODB_URI: `${db.uri}/redress_upload_bench`,
        DATA_DIR: dir,
        UPLOAD_DIR: join(dir, 'uploads'),
        LOG_LEVEL: 'warn',
        UPLOAD_MAX_FILE_BYTES: `${sizeMb + 10}mb`,
        UPLOAD_MAX_CASE_BYTES: `${sizeMb * 3}mb`,
      }),
    });
    try {
      const email = 'bench@example.com';
      const password = 'bench-password-long-enough';
      await running.services.users.createUser({
        email,
        password,
        name: 'bench',
        role: 'complainant',
        locale: 'en',
      });
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${running.url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
        });
        return (await res.json()) as Record<string, unknown>;
      };
      const { token } = (await post('/api/v1/auth/login', { email, password })) as {
        token: string;
      };
      const filed = await post(
        '/api/v1/cases',
        {
          category: 'incorrect_charge',
          jurisdiction: 'CN',
          locale: 'en',
          respondent: { name: 'Bench Pay', kind: 'platform' },
          transaction: {
            occurredAt: '2026-01-01T00:00:00Z',
            amount: { amountMinor: 100, currency: 'CNY' },
          },
          narrative: 'benchmark',
          desiredOutcome: 'none',
        },
        token,
      );
      const result = await runUploadBench({
        baseUrl: running.url,
        token,
        caseId: filed.id as string,
        sizeMb,
        tmpDir: dir,
      });
      console.log(JSON.stringify({ upload: result }));
    } finally {
      await running.stop();
    }
  } finally {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
