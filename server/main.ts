import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import type { Model } from 'mongoose';
import { createApp } from './app.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { apiModules } from './api-modules.ts';
import { createRateLimitModel, createSessionModel } from './auth/model.ts';
import { createAuthService, type AuthService } from './auth/service.ts';
import { startLoop, type BackgroundLoop } from './background.ts';
import { systemClock, type Clock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/connect.ts';
import { ensurePushdownIndexes, isFerretdb } from './db/pushdown.ts';
import { createLogger, type Logger } from './logger.ts';
import {
  createCaseModel,
  createCasePageModel,
  createCaseTermsModel,
  createCounterModel,
  createQueueCountsModel,
  EQUALITY_ONLY_FIELDS,
} from './cases/model.ts';
import { createCaseChangeModel } from './cases/journal.ts';
import { createIdempotency, createIdempotencyModel } from './http/idempotency.ts';
import { createCaseService, type CaseService } from './cases/service.ts';
import { createUserModel } from './users/model.ts';
import { createUserService, type UserService } from './users/service.ts';
import { createNotificationClaimModel, createNotificationModel } from './notifications/model.ts';
import { createNotificationService, type NotificationService } from './notifications/service.ts';
import { createMailTransport } from './notifications/transport.ts';
import { createExportModel } from './exports/model.ts';
import { createExportService } from './exports/service.ts';
import { createDossierService } from './dossier/service.ts';
import { createEvidence } from './evidence/setup.ts';
import { createEvidenceCheckModel, createEvidenceRefModel } from './evidence/gc-model.ts';
import { createGridFsIndexModels } from './evidence/gridfs-store.ts';
import type { EvidenceService } from './evidence/service.ts';
import { VERSION } from './version.ts';
import { createSelfHelpOutcomeModel } from './self-help/model.ts';
import { createSelfHelpService } from './self-help/service.ts';
import { createPasswordLinkModels, createPasswordLinks } from './users/password-links.ts';

export interface StartOptions {
  config?: Readonly<Config>;
  clock?: Clock;
  logger?: Logger;
  /** An already open database (tests share one); it is not closed by stop(). */
  database?: Database;
}

export interface RunningServer {
  url: string;
  app: Express;
  config: Readonly<Config>;
  database: Database;
  services: {
    users: UserService;
    auth: AuthService;
    cases: CaseService;
    notifications: NotificationService;
    evidence: EvidenceService;
  };
  loops: Record<string, BackgroundLoop>;
  /** Drains requests, stops background work, closes the database; safe to call twice. */
  stop(): Promise<void>;
}

export async function start(options: StartOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;

  const database =
    options.database ?? (await openDatabase(config, (message) => logger.info(message)));
  const ownsDatabase = !options.database;
  try {
    const { connection } = database;
    const linkModels = createPasswordLinkModels(connection);
    const models = {
      users: createUserModel(connection),
      sessions: createSessionModel(connection),
      rateLimits: createRateLimitModel(connection),
      cases: createCaseModel(connection),
      caseTerms: createCaseTermsModel(connection),
      casePages: createCasePageModel(connection),
      caseQueueCounts: createQueueCountsModel(connection),
      caseChanges: createCaseChangeModel(connection),
      idempotencyKeys: createIdempotencyModel(connection),
      counters: createCounterModel(connection),
      notifications: createNotificationModel(connection),
      notificationClaims: createNotificationClaimModel(connection),
      evidenceRefs: createEvidenceRefModel(connection),
      evidenceChecks: createEvidenceCheckModel(connection),
      selfHelpOutcomes: createSelfHelpOutcomeModel(connection),
      passwordLinks: linkModels.links,
      passwordLinkUses: linkModels.uses,
    };
    await Promise.all(Object.values(models).map((model) => model.init()));
    if (database.postgresqlUrl) {
      await ensurePushdownIndexes(
        database.postgresqlUrl,
        connection,
        [
          ...Object.values(models),
          // GridFS makes its own MongoDB indexes; these add only the PostgreSQL ones.
          ...(config.evidence.storage === 'gridfs' ? createGridFsIndexModels(connection) : []),
        ] as unknown as Model<never>[],
        EQUALITY_ONLY_FIELDS,
      );
    } else if (!(await isFerretdb(connection))) {
      await models.caseTerms.collection.createIndex({ terms: 1 });
    }

    const users = createUserService({ users: models.users, clock });
    const auth = createAuthService({
      sessions: models.sessions,
      rateLimits: models.rateLimits,
      users,
      clock,
      tokenTtlMs: config.tokenTtlMs,
      loginLimits: config.loginLimits,
    });
    const passwordLinks = createPasswordLinks({ models: linkModels, clock });
    const selfHelp = createSelfHelpService({ outcomes: models.selfHelpOutcomes, clock });
    const idempotency = createIdempotency({ keys: models.idempotencyKeys, clock });
    const cases = createCaseService({
      cases: models.cases,
      changes: models.caseChanges,
      counters: models.counters,
      terms: models.caseTerms,
      users,
      clock,
      repairIntervalMs: config.sweepIntervalMs,
    });
    // Emails leave through the dispatcher loop below, never from a request.
    const notifications = createNotificationService({
      notifications: models.notifications,
      claims: models.notificationClaims,
      cases: models.cases,
      changes: models.caseChanges,
      users,
      clock,
      logger,
      transport: createMailTransport({
        smtpUrl: config.smtpUrl,
        outboxDir: config.outboxDir,
        mail: config.mail,
        logger,
      }),
      settings: {
        mailFrom: config.mailFrom,
        publicUrl: config.publicUrl,
        maxAttempts: config.mail.maxAttempts,
        retryBaseMs: config.mail.retryBaseMs,
        retryMaxMs: config.mail.retryMaxMs,
        leaseMs: config.mail.leaseMs,
        batchSize: config.mail.batchSize,
        deadlineWarningMs: config.mail.deadlineWarningMs,
      },
    });
    logger.info(
      config.smtpUrl ? 'emails go to the SMTP server' : `emails are written to ${config.outboxDir}`,
    );
    const exportsService = createExportService({
      connection,
      exports: createExportModel(connection),
      clock,
    });
    const dossiers = createDossierService({ cases, users, clock });
    const evidence = createEvidence({
      config,
      connection,
      cases,
      caseRecords: models.cases,
      caseChanges: models.caseChanges,
      refs: models.evidenceRefs,
      checks: models.evidenceChecks,
      clock,
      logger,
    });
    const backfilled = await cases.backfillListingFields();
    if (backfilled) logger.info({ cases: backfilled }, 'added the listing fields to older cases');
    // Whatever a crash left half-uploaded goes before new uploads arrive.
    await evidence.sweepTempFiles();
    if (await users.ensureAdmin(config.admin)) {
      logger.info({ email: config.admin?.email }, 'created the first admin account');
    }

    const metrics = createMetrics();
    metrics.gauges({
      openCasesByQueue: async () => {
        // `mine` is per officer; the gauge keeps the shared queues and the open total.
        const { open, queues } = await cases.queueCounts(METRICS_READER);
        const { mine: _mine, ...shared } = queues;
        return { open, ...shared };
      },
      outbox: async () => ({
        pending: await models.notifications.countDocuments({ status: 'pending' }),
        parked: await models.notifications.countDocuments({ status: 'parked' }),
      }),
    });

    const app = createApp({
      logger,
      metrics,
      metricsToken: config.metricsToken,
      auth,
      jsonBodyLimitBytes: config.jsonBodyLimitBytes,
      trustProxy: config.trustProxy,
      version: VERSION,
      databaseReady: () => database.ping(),
      webDistDir: config.webDistDir,
      modules: apiModules({
        auth,
        users,
        cases,
        evidence,
        exports: exportsService,
        dossiers,
        notifications,
        selfHelp,
        passwordLinks,
        idempotency,
        registrationOpen: config.registrationOpen,
        dossierFont: config.dossierFont,
      }),
    });

    const loops = {
      deadlineSweeper: startLoop(
        'deadline-sweeper',
        config.sweepIntervalMs,
        async () => {
          const swept = await cases.sweepDeadlines();
          metrics.deadlineSweep(swept);
          return swept;
        },
        logger,
      ),
      notificationDispatcher: startLoop(
        'notification-dispatcher',
        config.mail.dispatchIntervalMs,
        async () => {
          const dispatched = await notifications.runOnce();
          metrics.dispatch(dispatched);
          return dispatched;
        },
        logger,
      ),
      evidenceSweeper: startLoop(
        'evidence-sweeper',
        config.sweepIntervalMs,
        async () => {
          await evidence.sweepTempFiles();
          await evidence.collectGarbage();
        },
        logger,
      ),
      countRepair: startLoop(
        'count-repair',
        config.sweepIntervalMs,
        () => cases.repairCounts(),
        logger,
      ),
      sessionSweeper: startLoop(
        'session-sweeper',
        config.sweepIntervalMs,
        () => Promise.all([auth.sweepExpired(), idempotency.sweepExpired()]),
        logger,
      ),
    };

    const server = app.listen(config.port, config.host);
    try {
      await once(server, 'listening');
    } catch (error) {
      // The port is taken (or not ours): nothing may keep running behind a failed start.
      await Promise.all(Object.values(loops).map((loop) => loop.stop()));
      notifications.close();
      throw error;
    }
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const metricsServer =
      config.metricsPort === undefined
        ? undefined
        : await serveMetricsOnLoopback(metrics, config.metricsPort);
    logger.info({ url, database: database.description }, 'Redress is listening');

    let stopping: Promise<void> | undefined;
    return {
      url,
      app,
      config,
      database,
      services: { users, auth, cases, notifications, evidence },
      loops,
      stop() {
        stopping ??= (async () => {
          await closeServer(server, config.shutdownTimeoutMs);
          if (metricsServer) await closeServer(metricsServer, 1_000);
          await Promise.all(Object.values(loops).map((loop) => loop.stop()));
          notifications.close();
          if (ownsDatabase) await database.close();
          logger.info('Redress stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}

/** The caller the metrics read the queue counters as: no officer's own queue. */
const METRICS_READER = {
  id: 'metrics',
  email: '',
  name: 'metrics',
  role: 'officer',
  locale: 'en',
} as const;

/** METRICS_PORT: the same registry on a loopback-only port, for a local Prometheus agent. */
async function serveMetricsOnLoopback(metrics: Metrics, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Stops accepting, lets open requests finish, and cuts what is still open at the timeout. */
async function closeServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const running = await start({ config });
  console.log(`Redress ${VERSION} is ready at ${running.url} (API docs: ${running.url}/docs)`);
  const shutdown = (signal: string) => {
    console.log(`${signal} received: shutting down`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().catch((error: unknown) => {
    console.error('Redress could not start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
