import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type {
  ZodOpenApiOperationObject,
  ZodOpenApiPathsObject,
  ZodOpenApiResponseObject,
} from 'zod-openapi';
import {
  ForbiddenError,
  UnauthorizedError,
  UnsupportedMediaError,
  ValidationError,
} from '../errors.ts';
import { zodIssues } from './problem.ts';
import type { AuthenticatedUser, Role } from '../identity.ts';

/** Who may call an endpoint: anyone, any signed-in user, or the listed roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface EndpointSpec<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
> {
  summary: string;
  tags: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** status → response description and optional JSON schema, for the OpenAPI document only. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Set when the body is not JSON (multipart uploads); the handler parses it. */
  requestContentType?: string;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface ValidRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  user: AuthenticatedUser;
}

export type EndpointHandler<B, Q, P> = (
  input: ValidRequest<B, Q, P>,
  req: Request,
  res: Response,
) => unknown;

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/**
 * An Express router that validates each endpoint's input with its zod schemas and records
 * the same schemas as an OpenAPI operation, so the document cannot drift from the code.
 */
export class ApiRouter {
  readonly router = Router();
  private readonly paths: ZodOpenApiPathsObject = {};

  constructor(private readonly basePath: string) {}

  readonly get = this.verb('get');
  readonly post = this.verb('post');
  readonly put = this.verb('put');
  readonly patch = this.verb('patch');
  readonly delete = this.verb('delete');

  /** One registration function per HTTP method, typed by the endpoint's schemas. */
  private verb(method: Method) {
    return <
      B extends z.ZodType | undefined = undefined,
      Q extends z.ZodType | undefined = undefined,
      P extends z.ZodType | undefined = undefined,
    >(
      path: string,
      spec: EndpointSpec<B, Q, P>,
      handler: EndpointHandler<Infer<B>, Infer<Q>, Infer<P>>,
    ): void => this.add(method, path, spec, handler);
  }

  openApiPaths(): ZodOpenApiPathsObject {
    return this.paths;
  }

  private add<
    B extends z.ZodType | undefined,
    Q extends z.ZodType | undefined,
    P extends z.ZodType | undefined,
  >(
    method: Method,
    path: string,
    spec: EndpointSpec<B, Q, P>,
    handler: EndpointHandler<Infer<B>, Infer<Q>, Infer<P>>,
  ): void {
    this.document(method, path, spec);
    this.router[method](path, async (req: Request, res: Response, next: NextFunction) => {
      const user = authorize(req, spec.access);
      if (
        spec.body &&
        !spec.requestContentType &&
        req.body === undefined &&
        hasBody(req) &&
        !req.is('json')
      ) {
        throw new UnsupportedMediaError('Send the body as application/json.');
      }
      const input = {
        body: parsePart(spec.body, req.body, 'body'),
        query: parsePart(spec.query, req.query, 'query'),
        params: parsePart(spec.params, req.params, 'params'),
        user: user as AuthenticatedUser,
      } as ValidRequest<Infer<B>, Infer<Q>, Infer<P>>;
      const result = await handler(input, req, res);
      if (result === undefined && !res.headersSent && !res.writableEnded) next();
    });
  }

  private document(
    method: Method,
    path: string,
    spec: EndpointSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>,
  ): void {
    const openApiPath = `${this.basePath}${path}`.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, ZodOpenApiResponseObject> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: { schema: response.schema },
              },
            }
          : {}),
      };
    }
    responses.default = {
      description: 'Error (RFC 9457 problem details)',
      content: { 'application/problem+json': { schema: problemSchema } },
    };
    const operation: ZodOpenApiOperationObject = {
      summary: spec.summary,
      tags: spec.tags,
      responses: responses as ZodOpenApiOperationObject['responses'],
      ...(spec.access === 'public' ? { security: [] } : {}),
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { [spec.requestContentType ?? 'application/json']: { schema: spec.body } },
      };
    }
    const requestParams: ZodOpenApiOperationObject['requestParams'] = {};
    if (spec.query && spec.query instanceof z.ZodObject) requestParams.query = spec.query;
    if (spec.params && spec.params instanceof z.ZodObject) requestParams.path = spec.params;
    if (requestParams.query || requestParams.path) operation.requestParams = requestParams;
    this.paths[openApiPath] = { ...this.paths[openApiPath], [method]: operation };
  }
}

function hasBody(req: Request): boolean {
  return (
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined
  );
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    throw new ValidationError(`The request ${where} is not valid.`, zodIssues(parsed.error, where));
  }
  return parsed.data;
}

const TOKEN_FAILURES: Record<string, string> = {
  missing: 'A bearer token is required (Authorization: Bearer <token>).',
  malformed: 'The Authorization header is not a bearer token.',
  invalid: 'The bearer token is not valid.',
  expired: 'The bearer token has expired; sign in again.',
};

const CSRF_FAILURE =
  'This request rides on the session cookie without its CSRF token (X-CSRF-Token) or comes from another origin.';

function authorize(req: Request, access: Access): AuthenticatedUser | undefined {
  if (access === 'public') return req.user;
  // A cookie without its CSRF token is not a missing sign-in: tell the page why.
  if (!req.user && req.authFailure === 'csrf') throw new ForbiddenError(CSRF_FAILURE);
  if (!req.user) throw new UnauthorizedError(TOKEN_FAILURES[req.authFailure ?? 'missing']);
  if (access !== 'authenticated' && !access.includes(req.user.role)) throw new ForbiddenError();
  return req.user;
}
