import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded-ferretdb.ts';
import { setTestDatabaseUri, setTestPostgresqlUrl } from './database.ts';

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

/**
 * One throwaway PostgreSQL and FerretDB for the whole run (or TEST_MONGODB_URI, or FerretDB on
 * TEST_POSTGRESQL_URL), torn down even on failure.
 */
export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) {
    setTestDatabaseUri(process.env.TEST_MONGODB_URI);
    return;
  }
  dataDir = mkdtempSync(join(tmpdir(), 'redress-test-db-'));
  embedded = await startEmbeddedDatabase({
    dataDir,
    port: 0,
    durability: 'fast',
    ...(process.env.TEST_POSTGRESQL_URL ? { postgresqlUrl: process.env.TEST_POSTGRESQL_URL } : {}),
  });
  setTestDatabaseUri(embedded.uri);
  if (embedded.postgresqlUrl) setTestPostgresqlUrl(embedded.postgresqlUrl);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
