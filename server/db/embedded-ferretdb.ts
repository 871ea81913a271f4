import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildScript = join(repoRoot, 'scripts', 'build-ferretdb.sh');

export interface EmbeddedDatabase {
  /** mongodb:// URI of the running FerretDB, without a database name. */
  uri: string;
  /** True when this process started FerretDB (and so stops it); false when it reused one. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** SQLite files go here; created when missing. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Reuse a FerretDB that already answers on `port` (the CLIs next to a running server). */
  reuseRunning?: boolean;
  log?: (message: string) => void;
  readyTimeoutMs?: number;
}

/**
 * Builds FerretDB on first use (the script is idempotent and caches the binary outside the
 * repository) and returns the binary's path.
 */
export async function ensureFerretdbBinary(log: (m: string) => void = () => {}): Promise<string> {
  return new Promise((resolvePath, reject) => {
    const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const path = out.trim().split('\n').pop() ?? '';
      if (code === 0 && path) resolvePath(path);
      else reject(new Error(`building FerretDB failed (exit ${code}); see the messages above`));
    });
  });
}

/**
 * Starts FerretDB on SQLite as a child process, or reuses one already serving `port`.
 *
 * The child runs under a small shell wrapper that kills FerretDB when our end of its stdin
 * closes: that happens on a clean stop and also when this process dies without cleaning up
 * (SIGKILL, crash), so FerretDB is never left orphaned.
 */
export async function startEmbeddedDatabase(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);

  if (options.reuseRunning && options.port !== 0 && (await pingMongo(uriFor(options.port)))) {
    log(`using the FerretDB already running on 127.0.0.1:${options.port}`);
    return { uri: uriFor(options.port), owned: false, stop: async () => {} };
  }

  mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDirectoryLock(dataDir);
  try {
    const binary = await ensureFerretdbBinary(log);
    const port = options.port === 0 ? await freePort() : options.port;
    const args = [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--state-dir=-',
      '--log-level=warn',
    ];
    // A background job in sh gets /dev/null as stdin unless redirected explicitly, hence fd 3.
    const wrapper =
      'exec 3<&0; "$0" "$@" </dev/null & pid=$!; (cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null) & wait $pid';
    const child = spawn('sh', ['-c', wrapper, binary, ...args], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const uri = uriFor(port);
    await waitUntilReady(child, uri, options.readyTimeoutMs ?? 30_000, () => stderr);
    log(`FerretDB ${binary} serving ${dataDir} on 127.0.0.1:${port}`);

    let stopping: Promise<void> | undefined;
    return {
      uri,
      owned: true,
      stop: () => {
        stopping ??= stopChild(child).finally(releaseLock);
        return stopping;
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

function uriFor(port: number): string {
  return `mongodb://127.0.0.1:${port}`;
}

async function waitUntilReady(
  child: ChildProcess,
  uri: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  const port = Number(new URL(uri).port);
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`FerretDB exited during start-up (code ${exited}): ${stderr().trim()}`);
    }
    if ((await portAccepts(port)) && (await pingMongo(uri))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`FerretDB did not become ready within ${timeoutMs} ms: ${stderr().trim()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.stdin?.end();
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolveAccepts) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveAccepts(true);
    });
    socket.once('error', () => resolveAccepts(false));
  });
}

export async function pingMongo(uri: string, timeoutMs = 1000): Promise<boolean> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Two FerretDB processes on one SQLite directory would corrupt it, so the directory is
 * locked by a pid file; a lock whose process is gone is stale and taken over.
 */
function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = join(dataDir, '.redress-ferretdb.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      if (holder && processAlive(holder)) {
        throw new Error(
          `${dataDir} is in use by another Redress FerretDB (pid ${holder}); stop it or set a different DATA_DIR`,
        );
      }
      if (existsSync(lockPath)) unlinkSync(lockPath);
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
