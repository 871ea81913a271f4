/**
 * Domain errors. Services throw these; only the HTTP error handler turns them into
 * RFC 9457 problem documents, so services never speak HTTP.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    /** Stable, machine-readable code; becomes the problem `type` suffix. */
    readonly code: string,
    readonly status: number,
    readonly detail: string,
    readonly extras: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, errors: { path: string; message: string }[] = []) {
    super('validation-failed', 400, detail, errors.length ? { errors } : {});
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'A valid bearer token is required.') {
    super('unauthorized', 401, detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'Your role may not do this.') {
    super('forbidden', 403, detail);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'resource') {
    super('not-found', 404, `No such ${what}.`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, extras: Record<string, unknown> = {}) {
    super('conflict', 409, detail, extras);
  }
}

export class InvalidTransitionError extends AppError {
  constructor(event: string, state: string, allowedEvents: string[]) {
    super('invalid-transition', 409, `The case in state ${state} does not accept ${event}.`, {
      state,
      allowedEvents,
    });
  }
}

export class GuardRefusedError extends AppError {
  constructor(reason: string) {
    super('rule-refused', 422, reason, { reason });
  }
}

export class UnprocessableError extends AppError {
  constructor(detail: string, extras: Record<string, unknown> = {}) {
    super('unprocessable', 422, detail, extras);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail: string) {
    super('payload-too-large', 413, detail);
  }
}

export class UnsupportedMediaError extends AppError {
  constructor(detail: string) {
    super('unsupported-media-type', 415, detail);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(detail: string, retryAfterSeconds: number) {
    super('too-many-requests', 429, detail, { retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string) {
    super('service-unavailable', 503, detail);
  }
}
