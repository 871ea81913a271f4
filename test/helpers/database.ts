import type { Connection } from 'mongoose';

// Passed through the environment because mocha may load the global fixture and the test
// files as separate module instances.
const BASE_URI_VARIABLE = 'REDRESS_TEST_DB_BASE_URI';

const PG_URL_VARIABLE = 'REDRESS_TEST_PG_URL';

/** The PostgreSQL under the run's FerretDB, so test servers add the pushdown indexes too. */
export function setTestPostgresqlUrl(url: string): void {
  process.env[PG_URL_VARIABLE] = url;
}

export function testPostgresqlUrl(): string | undefined {
  return process.env[PG_URL_VARIABLE];
}

export function setTestDatabaseUri(uri: string): void {
  process.env[BASE_URI_VARIABLE] = uri.replace(/\/+$/, '');
}

/** A database on the run's server; each test file gets its own name so files never collide. */
export function testDatabaseUri(name: string): string {
  const baseUri = process.env[BASE_URI_VARIABLE];
  if (!baseUri) throw new Error('the test database is not running (global fixture missing?)');
  const [hostPart, query] = baseUri.split('?') as [string, string | undefined];
  const withoutDb = hostPart.replace(/^(mongodb(\+srv)?:\/\/[^/]+).*$/, '$1');
  return `${withoutDb}/${name}${query ? `?${query}` : ''}`;
}

/**
 * Collections whose contents a running server caches as claimed (reference blocks, the case
 * page directory): emptying them under it would hand out a number twice or hide cases. What
 * is left there is harmless: unused references and empty buckets.
 */
const CLAIM_COLLECTIONS = new Set(['case_references', 'case_pages']);

/** Empties every collection but keeps the indexes, which are slow to rebuild. */
export async function resetDatabase(connection: Connection): Promise<void> {
  const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
  await Promise.all(
    collections
      .filter((c) => !c.name.startsWith('system.') && !CLAIM_COLLECTIONS.has(c.name))
      .map((c) => connection.db!.collection(c.name).deleteMany({})),
  );
}
