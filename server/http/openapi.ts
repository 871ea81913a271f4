import { createDocument } from 'zod-openapi';
import type { ZodOpenApiPathsObject } from 'zod-openapi';

/** OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(paths: ZodOpenApiPathsObject, version: string) {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Redress API',
      version,
      description:
        'Complaint and dispute case management for e-wallet users. Errors are RFC 9457 problem documents (application/problem+json).',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Token from POST /api/v1/auth/login',
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  });
}
