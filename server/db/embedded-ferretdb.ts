import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireDirectoryLock, freePort } from './child-process.ts';
import { startSupervised, type Supervised } from './supervisor.ts';
import { ensureFerretdbBinary, pingMongo, startFerretdb, uriFor } from './ferretdb-process.ts';
import {
  runningPostgresUrl,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embedded-postgres.ts';
import { migrateSqliteDirectory } from './sqlite-migration.ts';

export { freePort } from './child-process.ts';
export { ensureFerretdbBinary, pingMongo, startFerretdb } from './ferretdb-process.ts';

export interface EmbeddedDatabase {
  /** mongodb:// URI of the running FerretDB, without a database name. */
  uri: string;
  /** True when this process started FerretDB (and so stops it); false when it reused one. */
  owned: boolean;
  /**
   * The PostgreSQL FerretDB stores into (credentials included); when reused, that of this
   * DATA_DIR's running cluster (or POSTGRESQL_URL), undefined when neither is known.
   */
  postgresqlUrl?: string;
  /** The processes this one supervises (absent when reused): the fault tests kill them. */
  processes?: { ferretdb: Supervised; postgres?: Supervised };
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /**
   * DATA_DIR: the private PostgreSQL cluster goes to `pg/` inside it (created when missing);
   * a `db/` left there by the SQLite version is copied over once.
   */
  dataDir: string;
  /** FerretDB's port; 0 picks a free one. */
  port: number;
  /** Store into this PostgreSQL instead of starting a private one (POSTGRESQL_URL). */
  postgresqlUrl?: string;
  /** Reuse a FerretDB that already answers on `port` (the CLIs next to a running server). */
  reuseRunning?: boolean;
  /** `fast` for throwaway test clusters: see EmbeddedPostgresOptions. */
  durability?: 'full' | 'fast';
  log?: (message: string) => void;
  readyTimeoutMs?: number;
  /** The first delay before a crashed FerretDB or PostgreSQL is started again. */
  restartDelayMs?: number;
}

/**
 * Starts FerretDB on PostgreSQL (a private cluster in DATA_DIR/pg unless `postgresqlUrl` is
 * given), or reuses a FerretDB already serving `port`. Both children stop with this process,
 * also when it dies without cleaning up (see child-process.ts).
 */
export async function startEmbeddedDatabase(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);

  if (options.reuseRunning && options.port !== 0 && (await pingMongo(uriFor(options.port)))) {
    log(`using the FerretDB already running on 127.0.0.1:${options.port}`);
    const postgresqlUrl = options.postgresqlUrl ?? runningPostgresUrl(join(dataDir, 'pg'));
    return {
      uri: uriFor(options.port),
      owned: false,
      ...(postgresqlUrl ? { postgresqlUrl } : {}),
      stop: async () => {},
    };
  }

  mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDirectoryLock(dataDir);
  let postgres: EmbeddedPostgres | undefined;
  try {
    const binary = await ensureFerretdbBinary(log);
    let postgresqlUrl = options.postgresqlUrl;
    if (!postgresqlUrl) {
      postgres = await startEmbeddedPostgres({
        dataDir: join(dataDir, 'pg'),
        ...(options.durability ? { durability: options.durability } : {}),
        ...(options.restartDelayMs ? { restartDelayMs: options.restartDelayMs } : {}),
        log,
      });
      postgresqlUrl = postgres.url;
    }
    // A fixed port, so a FerretDB started again after a crash serves the same URI.
    const port = options.port === 0 ? await freePort() : options.port;
    const storeUrl = postgresqlUrl;
    const ferret = await startSupervised({
      name: 'FerretDB',
      start: async () =>
        (
          await startFerretdb(
            binary,
            ['--handler=postgresql', `--postgresql-url=${storeUrl}`],
            port,
            options.readyTimeoutMs,
          )
        ).process,
      log,
      ...(options.restartDelayMs ? { minDelayMs: options.restartDelayMs } : {}),
    });
    const uri = uriFor(port);
    log(`FerretDB ${binary} on PostgreSQL serving 127.0.0.1:${port}`);
    await migrateSqliteDirectory({ dataDir, binary, targetUri: uri, log }).catch(
      async (error: unknown) => {
        await ferret.stop();
        throw error;
      },
    );

    let stopping: Promise<void> | undefined;
    return {
      uri,
      owned: true,
      postgresqlUrl,
      processes: { ferretdb: ferret, ...(postgres ? { postgres: postgres.supervised } : {}) },
      stop: () => {
        stopping ??= ferret
          .stop()
          .then(() => postgres?.stop())
          .finally(releaseLock);
        return stopping;
      },
    };
  } catch (error) {
    await postgres?.stop();
    releaseLock();
    throw error;
  }
}
