import type { Connection, Model } from 'mongoose';
import pg from 'pg';

/**
 * What FerretDB v1.24 on PostgreSQL can answer without decoding every document, and the
 * indexes that make it so.
 *
 * FerretDB hands PostgreSQL only top-level equality (`{field: scalar}`, `$eq`, `$ne`; a
 * scalar also matches inside an array field), always as `_jsonb->'field' @> 'value'`, and
 * never a sort or (with a filter) a limit: everything else is decoded and filtered in Go at
 * roughly 0.5–1.5 ms per case document. The btree indexes FerretDB creates for
 * `createIndexes` are on `(_jsonb->'field')` and cannot serve `@>`, so without more help every
 * query, even by `_id`, is a sequential scan of the table. A GIN `jsonb_path_ops` index on the
 * same expression serves `@>`; this module creates one for every top-level field a model
 * declares an index on (and `_id`), directly in FerretDB's PostgreSQL tables.
 *
 * Queries the users wait on are therefore written as top-level equality on such fields (see
 * server/cases/listing.ts); on MongoDB the same filters use the declared indexes.
 */
export const PUSHDOWN_RULES = {
  equalityOnly: true,
  sortPushedDown: false,
  nestedFieldsPushedDown: false,
  nullPushedDown: false,
} as const;

/** The top-level fields of a model's declared indexes, plus `_id`. */
export function indexedTopLevelFields(
  model: Model<never>,
  extra: readonly string[] = [],
): string[] {
  const fields = new Set<string>(['_id', ...extra]);
  for (const [keys] of model.schema.indexes()) {
    for (const key of Object.keys(keys)) if (!key.includes('.')) fields.add(key);
  }
  return [...fields];
}

function indexName(table: string, field: string): string {
  // PostgreSQL truncates identifiers at 63 bytes; FerretDB table names are at most ~40.
  return `redress_eq_${table}_${field.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * Creates the GIN equality indexes for `models` in FerretDB's PostgreSQL schema of
 * `connection`'s database. Idempotent; run after the models' own `init()`.
 */
export async function ensurePushdownIndexes(
  postgresqlUrl: string,
  connection: Connection,
  models: readonly Model<never>[],
  /** Per collection, equality fields that have no declared (btree) index. */
  equalityOnly: Readonly<Record<string, readonly string[]>> = {},
): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('the database connection is not open');
  const existing = new Set(
    (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name),
  );
  for (const model of models) {
    if (!existing.has(model.collection.collectionName)) {
      await db.createCollection(model.collection.collectionName).catch((error: unknown) => {
        // Another process created it in the meantime.
        if ((error as { code?: number }).code !== 48) throw error;
      });
    }
  }
  const client = new pg.Client({ connectionString: postgresqlUrl });
  await client.connect();
  try {
    const schema = db.databaseName;
    const tableOf = await ferretdbTables(client, schema);
    for (const model of models) {
      const table = tableOf.get(model.collection.collectionName);
      if (!table) continue;
      const extra = equalityOnly[model.collection.collectionName] ?? [];
      for (const field of indexedTopLevelFields(model, extra)) {
        await client
          .query(
            `CREATE INDEX IF NOT EXISTS ${pg.escapeIdentifier(indexName(table, field))} ON ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)} USING gin ((_jsonb->${pg.escapeLiteral(field)}) jsonb_path_ops) WITH (fastupdate = off)`,
          )
          .catch((error: unknown) => {
            // Another instance created the same index at the same moment.
            const code = (error as { code?: string }).code;
            if (code !== '42P07' && code !== '23505') throw error;
          });
      }
    }
    await turnOffPendingLists(client, schema);
    // An existing PostgreSQL (POSTGRESQL_URL) may plan FerretDB's prepared statements
    // generically, which cannot use these indexes; the embedded one is started with this.
    await client
      .query(
        `ALTER DATABASE ${pg.escapeIdentifier(client.database ?? 'postgres')} SET plan_cache_mode = force_custom_plan`,
      )
      .catch(() => {});
  } finally {
    await client.end();
  }
}

/**
 * GIN's fast update puts new entries in a pending list that every scan of the index reads
 * through, until (auto)vacuum merges it into the tree. These indexes are read by every query
 * (even by `_id`), and one write adds an entry to each of a case's ~22: measured on 1,000
 * freshly written cases, reading one case took 24–28 ms at p50 until the first autovacuum,
 * about 80 s later, and 9–12 ms after it. Without the list a write updates the tree at once,
 * and reads no longer depend on when autovacuum last came by. Indexes made before this are
 * switched over and their lists merged now.
 */
async function turnOffPendingLists(client: pg.Client, schema: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'i' AND c.relname LIKE 'redress\\_eq\\_%'
       AND NOT coalesce('fastupdate=off' = ANY (c.reloptions), false)`,
    [schema],
  );
  for (const { name } of rows) {
    const index = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;
    await client.query(`ALTER INDEX ${index} SET (fastupdate = off)`);
    await client.query(`SELECT gin_clean_pending_list(${pg.escapeLiteral(index)}::regclass)`);
  }
}

/** FerretDB's PostgreSQL table of each collection of the database `schema`. */
async function ferretdbTables(client: pg.Client, schema: string): Promise<Map<string, string>> {
  const tables = await client.query<{ name: string; table: string }>(
    `SELECT _jsonb->>'_id' AS name, _jsonb->>'table' AS table FROM ${pg.escapeIdentifier(schema)}._ferretdb_database_metadata`,
  );
  return new Map(tables.rows.map((row) => [row.name, row.table]));
}

/**
 * `ANALYZE` on the tables behind `collections` (those that exist). PostgreSQL estimates a value
 * it has no statistics for as matching about one row, so after a bulk write that filled buckets
 * the last statistics never saw (an import), it answers `{overdue: true, pageL: <new bucket>}`
 * from the bucket's index alone and filters every case of the bucket: measured on 99,700
 * imported cases, 250 ms for a probe that takes 45 ms once the statistics know the bucket and
 * both GIN indexes are combined. Autovacuum would get there, but only after 10 % of the table
 * has changed again. Costs about 25 s of one core at 100,000 cases.
 */
export async function refreshPlannerStatistics(
  postgresqlUrl: string,
  connection: Connection,
  collections: readonly string[],
): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('the database connection is not open');
  const client = new pg.Client({ connectionString: postgresqlUrl });
  await client.connect();
  try {
    const tableOf = await ferretdbTables(client, db.databaseName);
    for (const collection of collections) {
      const table = tableOf.get(collection);
      if (!table) continue;
      await client.query(
        `ANALYZE ${pg.escapeIdentifier(db.databaseName)}.${pg.escapeIdentifier(table)}`,
      );
    }
  } finally {
    await client.end();
  }
}

/** Whether the server is FerretDB (which reports its own version in buildInfo). */
export async function isFerretdb(connection: Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return typeof info.ferretdbVersion === 'string' || typeof info.ferretdb === 'object';
}
