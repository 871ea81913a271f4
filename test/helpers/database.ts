import type { Connection } from 'mongoose';

// Passed through the environment because mocha may load the global fixture and the test
// files as separate module instances.
const BASE_URI_VARIABLE = 'REDRESS_TEST_DB_BASE_URI';

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

/** Empties every collection but keeps the indexes, which are slow to rebuild. */
export async function resetDatabase(connection: Connection): Promise<void> {
  const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
  await Promise.all(
    collections
      .filter((c) => !c.name.startsWith('system.'))
      .map((c) => connection.db!.collection(c.name).deleteMany({})),
  );
}
