/** The settings that decide how a failed email is retried. */
export interface RetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * What a failed attempt leads to: parked once the round's attempts are used up, otherwise a
 * retry after an exponential backoff with "equal jitter": at least half the step, so retries
 * thin out, and spread over the other half, so a queue that failed together does not retry
 * together. `round` counts attempts since the last requeue, from 1.
 */
export function afterFailure(
  round: number,
  settings: RetrySettings,
  random: () => number,
): { park: true } | { park: false; delayMs: number } {
  if (round >= settings.maxAttempts) return { park: true };
  const step = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** (round - 1));
  return { park: false, delayMs: Math.round(step / 2 + (random() * step) / 2) };
}

/**
 * True when an attempt comes after the round's last: earlier claims of this round were taken
 * and never completed, and a send that keeps killing its dispatcher must not be retried forever.
 */
export function roundAbandoned(round: number, settings: Pick<RetrySettings, 'maxAttempts'>) {
  return round > settings.maxAttempts;
}
