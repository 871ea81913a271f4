import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-ferretdb.ts';

export interface Database {
  connection: Connection;
  /** Where the data lives, for logs: never includes credentials. */
  description: string;
  /**
   * The PostgreSQL that FerretDB stores into, when known (embedded, or POSTGRESQL_URL next to
   * a MONGODB_URI naming a FerretDB): server/db/pushdown.ts adds its indexes there.
   */
  postgresqlUrl: string | undefined;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const DEFAULT_DB_NAME = 'redress';

/**
 * Connects to MONGODB_URI when it is set; otherwise starts (or reuses) the embedded
 * FerretDB on PostgreSQL: POSTGRESQL_URL, or a private cluster in DATA_DIR/pg.
 */
export async function openDatabase(
  config: Pick<Config, 'mongodbUri' | 'postgresqlUrl' | 'dataDir' | 'embeddedDbPort'>,
  log: (message: string) => void = () => {},
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      port: config.embeddedDbPort,
      ...(config.postgresqlUrl ? { postgresqlUrl: config.postgresqlUrl } : {}),
      reuseRunning: true,
      log,
    });
    uri = `${embedded.uri}/${DEFAULT_DB_NAME}`;
  }
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 5_000,
    // Names without a database path fall back to "redress", not the driver's "test".
    ...(hasDatabaseName(uri) ? {} : { dbName: DEFAULT_DB_NAME }),
  });
  try {
    await connection.asPromise();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    connection,
    postgresqlUrl: embedded?.postgresqlUrl ?? config.postgresqlUrl,
    description: embedded
      ? `embedded FerretDB on ${config.postgresqlUrl ? redactPg(config.postgresqlUrl) : `PostgreSQL (${config.dataDir}/pg)`}`
      : redact(uri),
    async ping(timeoutMs = 2_000) {
      const db = connection.db;
      if (!db) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        // FerretDB answers `ping` by itself, also while the PostgreSQL under it is down: a
        // lookup by `_id` goes through to the storage and costs one index probe.
        return await Promise.race([
          db
            .collection('counters')
            .findOne({ _id: 'readiness-probe' as never }, { projection: { _id: 1 } })
            .then(
              () => true,
              () => false,
            ),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        await connection.close().catch(() => {});
        await embedded?.stop();
      })();
      return closing;
    },
  };
}

function hasDatabaseName(uri: string): boolean {
  const path = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '').split('?')[0] ?? '';
  return path.length > 1;
}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

function redactPg(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
