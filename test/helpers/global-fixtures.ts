import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded-ferretdb.ts';
import { setTestDatabaseUri } from './database.ts';

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

/** One throwaway FerretDB for the whole run (or TEST_MONGODB_URI), torn down even on failure. */
export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) {
    setTestDatabaseUri(process.env.TEST_MONGODB_URI);
    return;
  }
  dataDir = mkdtempSync(join(tmpdir(), 'redress-test-db-'));
  embedded = await startEmbeddedDatabase({ dataDir, port: 0 });
  setTestDatabaseUri(embedded.uri);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
