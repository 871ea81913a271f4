import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A background job in sh gets /dev/null as stdin unless redirected explicitly, hence fd 3:
 * the wrapper forwards `signal` to the program when our end of its stdin closes. That
 * happens on a clean stop and also when this process dies without cleaning up (SIGKILL,
 * crash), so the program is never left orphaned.
 */
function guardianScript(signal: 'TERM' | 'INT'): string {
  return `exec 3<&0; "$0" "$@" </dev/null & pid=$!; (cat <&3 >/dev/null; kill -${signal} $pid 2>/dev/null) & wait $pid`;
}

export interface GuardedChild {
  /** The `sh` wrapper; `programPid()` is the program itself. */
  child: ChildProcess;
  /** The program's own pid (what a crash or `kill -9` hits), once it runs; Linux only. */
  programPid(): number | undefined;
  /** The last 4 KB the program wrote to stderr, for error messages. */
  stderr(): string;
  /** Asks the program to stop (closes its stdin), SIGKILLs it after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `binary` so that it stops when this process stops or dies. */
export function spawnGuarded(
  binary: string,
  args: readonly string[],
  options: { signal?: 'TERM' | 'INT'; uid?: number; gid?: number; cwd?: string } = {},
): GuardedChild {
  const spawnOptions: SpawnOptions = { stdio: ['pipe', 'ignore', 'pipe'] };
  if (options.uid !== undefined) spawnOptions.uid = options.uid;
  if (options.gid !== undefined) spawnOptions.gid = options.gid;
  if (options.cwd !== undefined) spawnOptions.cwd = options.cwd;
  const child = spawn(
    'sh',
    ['-c', guardianScript(options.signal ?? 'TERM'), binary, ...args],
    spawnOptions,
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // The program died by itself: closing its stdin ends the wrapper's watcher too, so a
  // supervised restart leaves nothing behind. (An EPIPE on that pipe is expected then.)
  child.stdin?.on('error', () => {});
  child.once('exit', () => child.stdin?.end());
  let stopping: Promise<void> | undefined;
  return {
    child,
    programPid: () => programPidOf(child.pid, binary),
    stderr: () => stderr,
    stop(graceMs = 10_000) {
      stopping ??= stopChild(child, graceMs);
      return stopping;
    },
  };
}

/** The wrapper's child running `binary` (the other one is its stdin watcher). */
function programPidOf(wrapperPid: number | undefined, binary: string): number | undefined {
  if (wrapperPid === undefined) return undefined;
  try {
    const children = readFileSync(`/proc/${wrapperPid}/task/${wrapperPid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
      .filter(Boolean);
    return children.find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.stdin?.end();
  });
}

/** Polls `ready` until it answers true; fails early when the child exits. */
export async function waitUntil(
  guarded: GuardedChild,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  let exited: number | null | undefined;
  guarded.child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(
        `${what} exited during start-up (code ${exited}): ${guarded.stderr().trim()}`,
      );
    }
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  guarded.child.kill('SIGKILL');
  throw new Error(
    `${what} did not become ready within ${timeoutMs} ms: ${guarded.stderr().trim()}`,
  );
}

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolveAccepts) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveAccepts(true);
    });
    socket.once('error', () => resolveAccepts(false));
  });
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
 * Two database processes on one data directory would corrupt it, so the directory is locked
 * by a pid file; a lock whose process is gone is stale and taken over.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = join(dataDir, '.redress-db.lock');
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
          `${dataDir} is in use by another Redress database (pid ${holder}); stop it or set a different DATA_DIR`,
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
