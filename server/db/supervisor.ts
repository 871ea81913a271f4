import type { GuardedChild } from './child-process.ts';

export interface SupervisedOptions {
  /** For logs: `PostgreSQL`, `FerretDB`. */
  name: string;
  /** Starts the process and resolves once it serves; rejects when it could not. */
  start(): Promise<GuardedChild>;
  log(message: string): void;
  /** The first restart's delay; doubled after each failed or short-lived run. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A run this long counts as healthy: the next crash restarts after minDelayMs again. */
  healthyAfterMs?: number;
}

export interface Supervised {
  /** The running process (or the last one, while it is being restarted). */
  current(): GuardedChild;
  /** How many times it was started again after dying by itself. */
  restarts(): number;
  /** Stops supervising and stops the process; no restart after this. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Keeps a child database process running: when it dies by itself (a crash, the OOM killer,
 * `kill -9`), it is started again after a delay that grows while it keeps dying, so a process
 * that cannot start does not spin. While it is away, requests fail fast as unavailable (503,
 * server/db/unavailable.ts) and the driver reconnects once it is back. PostgreSQL started again
 * on its own data directory replays its WAL before it accepts connections, so what was
 * committed before the crash is there.
 */
export async function startSupervised(options: SupervisedOptions): Promise<Supervised> {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const healthyAfter = options.healthyAfterMs ?? 60_000;
  let current = await options.start();
  let stopped = false;
  let restarts = 0;
  let delay = minDelay;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  const watch = (child: GuardedChild) => {
    child.child.once('exit', (code, signal) => {
      if (stopped) return;
      if (Date.now() - startedAt >= healthyAfter) delay = minDelay;
      options.log(
        `${options.name} exited (${signal ?? `code ${code}`}); starting it again in ${delay} ms`,
      );
      schedule();
    });
  };

  const schedule = () => {
    timer = setTimeout(() => {
      restarting = (async () => {
        try {
          const next = await options.start();
          if (stopped) {
            await next.stop();
            return;
          }
          current = next;
          restarts++;
          startedAt = Date.now();
          delay = Math.min(delay * 2, maxDelay);
          options.log(`${options.name} is running again (restart ${restarts})`);
          watch(next);
        } catch (error) {
          if (stopped) return;
          delay = Math.min(delay * 2, maxDelay);
          options.log(
            `${options.name} did not start (${(error as Error).message}); trying again in ${delay} ms`,
          );
          schedule();
        }
      })();
    }, delay);
    timer.unref();
  };

  watch(current);
  return {
    current: () => current,
    restarts: () => restarts,
    async stop(graceMs) {
      stopped = true;
      clearTimeout(timer);
      await restarting;
      await current.stop(graceMs);
    },
  };
}
