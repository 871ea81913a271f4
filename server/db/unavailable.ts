/**
 * Whether an error means the database cannot be reached right now (down, restarting, a
 * network cut), as opposed to a bad request or a bug: those requests answer 503 with
 * Retry-After, and the driver reconnects by itself once the database is back.
 */
const UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (typeof name === 'string' && UNAVAILABLE.has(name)) return true;
  // Mongoose queues operations while disconnected and gives up with this message.
  return typeof message === 'string' && /buffering timed out/.test(message);
}
