import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { ManualClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config.ts';
import { start, type RunningServer } from '../../server/main.ts';
import { resetDatabase, testDatabaseUri, testPostgresqlUrl } from './database.ts';

export interface TestServer {
  server: RunningServer;
  clock: ManualClock;
  http: ReturnType<typeof supertest>;
  tempDir: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

/**
 * Starts the real server on port 0 against the run's database, with a hand-driven clock
 * and its own temporary data, upload and outbox directories.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const tempDir = mkdtempSync(join(tmpdir(), 'redress-test-'));
  const dbName = `redress_test_${process.pid}_${++counter}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: testDatabaseUri(dbName),
    ...(testPostgresqlUrl() ? { POSTGRESQL_URL: testPostgresqlUrl()! } : {}),
    DATA_DIR: join(tempDir, 'data'),
    UPLOAD_DIR: join(tempDir, 'uploads'),
    // Browser tests may point at a build of their own (vite build --outDir …).
    ...(process.env.WEB_DIST_DIR ? { WEB_DIST_DIR: process.env.WEB_DIST_DIR } : {}),
    LOG_LEVEL: 'silent',
    // Background loops are driven by hand in tests, never by the wall clock.
    SWEEP_INTERVAL_MS: '3600000',
    MAIL_DISPATCH_INTERVAL_MS: '3600000',
    ...env,
  });
  const clock = new ManualClock();
  const server = await start({ config, clock });
  return {
    server,
    clock,
    http: supertest(server.url),
    tempDir,
    reset: () => resetDatabase(server.database.connection),
    async stop() {
      await server.database.connection.dropDatabase().catch(() => {});
      await server.stop();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
