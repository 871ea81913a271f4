import type { Logger } from './logger.ts';

export interface BackgroundLoop {
  /** Runs the task once now, outside the schedule (tests, and work that must not wait). */
  runOnce(): Promise<void>;
  /** Stops scheduling and waits for a run in progress; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs`, never two runs at once, logging (not throwing) failures
 * so a passing database outage does not kill the loop.
 */
export function startLoop(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
): BackgroundLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const runOnce = (): Promise<void> => {
    running ??= task()
      .then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error, loop: name }, 'background task failed'),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
