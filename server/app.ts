import { randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { authenticate } from './auth/middleware.ts';
import type { AuthService } from './auth/service.ts';
import { ServiceUnavailableError, UnauthorizedError } from './errors.ts';
import { ApiRouter } from './http/api-router.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { errorHandler, notFoundHandler } from './http/problem.ts';
import { refuseNonText } from './http/text-guard.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { webApp } from './web/serve.ts';

export const API_BASE = '/api/v1';
const REQUEST_ID = /^[\w\-.:]{1,128}$/;

export interface AppDeps {
  logger: Logger;
  auth: AuthService;
  jsonBodyLimitBytes: number;
  trustProxy: boolean;
  version: string;
  /** Resolves when the database answers; readiness fails otherwise. */
  databaseReady: () => Promise<boolean>;
  /** Each domain module mounts its endpoints on the shared API router. */
  modules: ((api: ApiRouter) => void)[];
  metrics?: Metrics;
  /** GET /metrics answers only with this bearer token; without one it is not served here. */
  metricsToken?: string | undefined;
  /** The built web app's folder (web/dist), served at `/`; absent in API-only tests. */
  webDistDir?: string;
}

/** Builds the Express app; never listens, so tests and the server share it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
  if (deps.metrics) app.use(deps.metrics.http);
  app.use(helmet());
  app.use(
    express.json({
      limit: deps.jsonBodyLimitBytes,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use(refuseNonText());

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (!(await deps.databaseReady()))
      throw new ServiceUnavailableError('The database does not answer.');
    res.json({ status: 'ready' });
  });

  if (deps.metrics && deps.metricsToken) {
    const { registry } = deps.metrics;
    const expected = Buffer.from(`Bearer ${deps.metricsToken}`);
    app.get('/metrics', async (req, res) => {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new UnauthorizedError('The metrics need the METRICS_TOKEN as a bearer token.');
      res.type(registry.contentType).send(await registry.metrics());
    });
  }

  const api = new ApiRouter(API_BASE);
  for (const mount of deps.modules) mount(api);
  const openApi = buildOpenApiDocument(api.openApiPaths(), deps.version);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' } }),
  );

  // API answers hold people's cases: no browser or proxy cache may keep them (ASVS 8.2.1).
  // A route may still set its own Cache-Control, which replaces this one.
  app.use(API_BASE, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(API_BASE, authenticate(deps.auth), api.router);
  if (deps.webDistDir) app.use(webApp(deps.webDistDir));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
