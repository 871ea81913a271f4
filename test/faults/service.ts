import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/project-root.ts';

/**
 * The Redress service as a production host runs it, in its own process group: `node` on
 * server/main.ts with its embedded PostgreSQL and FerretDB below it, so the fault run can kill
 * any of the three with SIGKILL, the way a crash or the OOM killer would.
 */
export interface Service {
  url: string;
  /** Starts the service (again) on the same data and ports; resolves once it is ready. */
  start(): Promise<void>;
  /** SIGKILL to the whole process group: Redress, and with it its children. */
  killService(): Promise<void>;
  /** SIGKILL to the embedded FerretDB or PostgreSQL only; Redress supervises them. */
  killDatabase(which: 'ferretdb' | 'postgres'): void;
  /** Everything the service logged, for the failure message. */
  log(): string;
  stop(): Promise<void>;
}

export function createService(env: Record<string, string>, port: number, dbPort: number): Service {
  let child: ChildProcess | undefined;
  let output = '';
  const errorLines: string[] = [];

  const exited = (proc: ChildProcess) =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  async function waitReady(proc: ChildProcess, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null)
        throw new Error(`Redress exited on start:\n${output.slice(-3000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`Redress was not ready within ${timeoutMs} ms:\n${output.slice(-3000)}`);
  }

  /** The pid of the process whose command line holds `needle` (Linux /proc). */
  function pidWith(needle: string): number | undefined {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (cmdline[0]?.endsWith('/ferretdb') && cmdline.includes(needle)) return Number(entry);
      } catch {
        // gone meanwhile
      }
    }
    return undefined;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    async start() {
      const proc = spawn(process.execPath, ['--import', 'tsx', join('server', 'main.ts')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env, PORT: String(port), EMBEDDED_DB_PORT: String(dbPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-200_000);
        // Errors are kept whole across restarts: the ring above loses them to later warnings.
        for (const line of chunk.toString().split('\n')) {
          if (line.includes('"level":50')) errorLines.push(line.slice(0, 4000));
        }
      };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      child = proc;
      await waitReady(proc);
    },
    async killService() {
      if (!child?.pid) return;
      process.kill(-child.pid, 'SIGKILL');
      await exited(child);
    },
    killDatabase(which) {
      const pid =
        which === 'postgres'
          ? Number(readFileSync(join(env.DATA_DIR!, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])
          : pidWith(`--listen-addr=127.0.0.1:${dbPort}`);
      if (!pid) throw new Error(`no ${which} process found`);
      process.kill(pid, 'SIGKILL');
    },
    log: () => `${errorLines.join('\n')}\n${output}`,
    async stop() {
      if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      await exited(child);
    },
  };
}
