import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import {
  freePort,
  portAccepts,
  spawnGuarded,
  waitUntil,
  type GuardedChild,
} from './child-process.ts';
import { PROJECT_ROOT } from '../project-root.ts';

const buildScript = join(PROJECT_ROOT, 'scripts', 'build-ferretdb.sh');

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

export interface FerretdbProcess {
  uri: string;
  process: GuardedChild;
}

/** Starts one FerretDB on loopback with telemetry and its debug and state files off. */
export async function startFerretdb(
  binary: string,
  handlerArgs: readonly string[],
  port: number,
  readyTimeoutMs = 30_000,
): Promise<FerretdbProcess> {
  const listenPort = port === 0 ? await freePort() : port;
  const guarded = spawnGuarded(binary, [
    ...handlerArgs,
    `--listen-addr=127.0.0.1:${listenPort}`,
    '--telemetry=disable',
    '--debug-addr=-',
    '--state-dir=-',
    '--log-level=warn',
  ]);
  const uri = uriFor(listenPort);
  await waitUntil(
    guarded,
    'FerretDB',
    async () => (await portAccepts(listenPort)) && (await pingMongo(uri)),
    readyTimeoutMs,
  );
  return { uri, process: guarded };
}

export function uriFor(port: number): string {
  return `mongodb://127.0.0.1:${port}`;
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
