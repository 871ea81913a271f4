import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { ZodError } from 'zod';
import { AppError, NotFoundError, STATUS_TITLES, ValidationError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const TITLES: Readonly<Record<number, string>> = STATUS_TITLES;

export function problemType(code: string): string {
  return `/problems/${code}`;
}

export function zodIssues(error: ZodError, prefix?: string): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * Runs a service call whose input is one part of the request, so that the fields its
 * validation errors name are reported where the client sent them (`transaction.occurredAt`
 * becomes `body.transaction.occurredAt`, as zod's issues are).
 */
export async function fieldsIn<T>(part: 'body' | 'query', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) throw error.within(part);
    throw error;
  }
}

/** Maps anything thrown into a problem document; unknown errors keep their detail private. */
export function toProblem(error: unknown): Problem {
  if (error instanceof AppError) {
    return {
      type: problemType(error.code),
      title: STATUS_TITLES[error.status],
      status: error.status,
      detail: error.detail,
      ...error.extras,
    };
  }
  if (error instanceof ZodError) {
    return {
      type: problemType('validation-failed'),
      title: TITLES[400]!,
      status: 400,
      detail: 'The request is not valid.',
      errors: zodIssues(error),
    };
  }
  if (error instanceof mongoose.Error.CastError) {
    return {
      type: problemType('validation-failed'),
      title: TITLES[400]!,
      status: 400,
      detail: `${error.path} is not a valid value.`,
      errors: [{ path: error.path, message: `not a valid ${error.kind}` }],
    };
  }
  if (error instanceof mongoose.Error.ValidationError) {
    return {
      type: problemType('validation-failed'),
      title: TITLES[400]!,
      status: 400,
      detail: 'The request is not valid.',
      errors: Object.values(error.errors).map((e) => ({ path: e.path, message: e.message })),
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      type: problemType('service-unavailable'),
      title: TITLES[503]!,
      status: 503,
      detail: 'The database does not answer right now; try again in a few seconds.',
    };
  }
  if (isDuplicateKey(error)) {
    return {
      type: problemType('conflict'),
      title: TITLES[409]!,
      status: 409,
      detail: 'A record with the same unique value already exists.',
    };
  }
  if (error instanceof mongoose.Error.VersionError) {
    return {
      type: problemType('conflict'),
      title: TITLES[409]!,
      status: 409,
      detail: 'The record was changed by someone else; reload and try again.',
    };
  }
  const bodyParserError = asBodyParserError(error);
  if (bodyParserError) return bodyParserError;
  return {
    type: problemType('internal'),
    title: TITLES[500]!,
    status: 500,
    detail: 'Something went wrong on our side. The request id identifies it in our logs.',
  };
}

function asBodyParserError(error: unknown): Problem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  const details: Record<string, [number, string, string]> = {
    'entity.parse.failed': [400, 'malformed-json', 'The body is not valid JSON.'],
    'entity.too.large': [413, 'payload-too-large', 'The body is larger than this API accepts.'],
    'encoding.unsupported': [415, 'unsupported-encoding', 'The body encoding is not supported.'],
    'charset.unsupported': [415, 'unsupported-charset', 'The body charset is not supported.'],
    'request.aborted': [400, 'request-aborted', 'The request body was cut off.'],
    'request.size.invalid': [400, 'request-size-invalid', 'The body length does not match.'],
  };
  const known = details[type];
  if (!known) {
    if (status >= 400 && status < 500) {
      return {
        type: problemType('bad-request'),
        title: TITLES[status] ?? 'Bad Request',
        status,
        detail: 'The request could not be read.',
      };
    }
    return undefined;
  }
  return {
    type: problemType(known[1]),
    title: TITLES[known[0]]!,
    status: known[0],
    detail: known[2],
  };
}

export function sendProblem(
  res: Parameters<RequestHandler>[1],
  problem: Problem,
  instance?: string,
): void {
  const requestId = res.getHeader('x-request-id');
  const body: Problem = { ...problem };
  if (instance) body.instance = instance;
  if (typeof requestId === 'string') body.requestId = requestId;
  if (problem.status === 429 && typeof problem.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(problem.retryAfterSeconds));
  }
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="redress"');
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new NotFoundError(`route ${req.method} ${req.path}`);
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(error);
    if (problem.status >= 500) {
      (req.log ?? logger).error({ err: error }, 'request failed');
    }
    if (res.headersSent) {
      // A streaming response failed half-way: the status is gone, so cut the connection
      // rather than pretend the body is complete.
      res.destroy();
      return;
    }
    sendProblem(res, problem, req.originalUrl);
  };
}
