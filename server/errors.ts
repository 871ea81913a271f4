/**
 * Domain errors. Services throw these; only the HTTP error handler turns them into
 * RFC 9457 problem documents, so services never speak HTTP.
 */
/**
 * Every status a problem document can have, with its title: the one error table. A status
 * missing here does not typecheck as an AppError's.
 */
export const STATUS_TITLES = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;
export type ProblemStatus = keyof typeof STATUS_TITLES;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    /** Stable, machine-readable code; becomes the problem `type` suffix. */
    readonly code: string,
    readonly status: ProblemStatus,
    readonly detail: string,
    readonly extras: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(
    detail: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super('validation-failed', 400, detail, fields.length ? { errors: fields } : {});
  }

  /**
   * The same refusal with its fields placed in a part of a request ('body', 'query'):
   * services name the fields of their input, the route knows where that input came from.
   */
  within(part: string): ValidationError {
    const located = this.fields.map((field) => ({ ...field, path: `${part}.${field.path}` }));
    return new ValidationError(this.detail, located);
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

export class RangeNotSatisfiableError extends AppError {
  constructor(detail: string) {
    super('range-not-satisfiable', 416, detail);
  }
}
