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

const SOCKET_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

/**
 * FerretDB answers while the PostgreSQL under it is down or recovering, with an InternalError
 * (code 1) carrying PostgreSQL's or the pgx driver's words: connection refused, SQLSTATE class
 * 08 (connection exception) or 57P01–57P03 (admin shutdown, crash shutdown, cannot connect now,
 * e.g. "the database system is starting up" during WAL replay).
 */
const BACKEND_AWAY =
  /failed to connect to|connection refused|connection reset|broken pipe|use of closed network connection|server closed the connection|terminating connection|SQLSTATE (08\d{3}|57P0[1-3])|the database system is (starting up|shutting down|in recovery|not yet accepting connections)|unexpected postmaster exit|conn closed|unexpected EOF|\bEOF\b/;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  // A bulk write cut by the network (a kill of FerretDB mid-insertMany) comes as a
  // MongoBulkWriteError that keeps the driver's network error as its `errorResponse`.
  const { errorResponse, cause } = error as { errorResponse?: unknown; cause?: unknown };
  for (const inner of [errorResponse, cause]) {
    if (inner !== error && isDatabaseUnavailable(inner, depth + 1)) return true;
  }
  const { name, message, code } = error as { name?: unknown; message?: unknown; code?: unknown };
  if (typeof name === 'string' && UNAVAILABLE.has(name)) return true;
  // Node's own socket errors, when a write meets a connection the killed database closed
  // before the driver noticed ("This socket has been ended by the other party", EPIPE).
  if (typeof code === 'string' && SOCKET_GONE.has(code)) return true;
  if (code === 1 && typeof message === 'string' && BACKEND_AWAY.test(message)) return true;
  // A bulk insert reports each document's failure: the outage shows in the first of them.
  const { writeErrors } = error as { writeErrors?: { code?: unknown; errmsg?: unknown }[] };
  const first = Array.isArray(writeErrors) ? writeErrors[0] : undefined;
  if (first?.code === 1 && typeof first.errmsg === 'string' && BACKEND_AWAY.test(first.errmsg)) {
    return true;
  }
  // Mongoose queues operations while disconnected and gives up with this message.
  return typeof message === 'string' && /buffering timed out/.test(message);
}
