import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import pg from 'pg';
import { ensurePushdownIndexes, refreshPlannerStatistics } from '../../../server/db/pushdown.ts';
import { testDatabaseUri, testPostgresqlUrl } from '../../helpers/database.ts';

/** Runs `sql` on FerretDB's table of `collection` (named `$table` in it). */
async function onTable<T extends pg.QueryResultRow>(
  postgresqlUrl: string,
  schema: string,
  collection: string,
  sql: string,
): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgresqlUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string }>(
      `SELECT _jsonb->>'table' AS table FROM ${pg.escapeIdentifier(schema)}._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
      [collection],
    );
    const table = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(rows[0]!.table)}`;
    return (await client.query<T>(sql.replace('$table', table))).rows;
  } finally {
    await client.end();
  }
}

/** What PostgreSQL expects `{bucket: value}` to match. */
async function estimatedRows(url: string, schema: string, value: string): Promise<number> {
  const [row] = await onTable<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    url,
    schema,
    'items',
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM $table WHERE _jsonb->'bucket' @> ${pg.escapeLiteral(JSON.stringify(value))}`,
  );
  return row!['QUERY PLAN'][0].Plan['Plan Rows'];
}

describe("FerretDB's tables on PostgreSQL: the equality indexes and the planner", () => {
  let postgresqlUrl: string | undefined;
  let connection: Connection;
  let Item: mongoose.Model<never>;

  before(async function () {
    postgresqlUrl = testPostgresqlUrl();
    // Only FerretDB on PostgreSQL plans this way; on MongoDB there is nothing to refresh.
    if (!postgresqlUrl) this.skip();
    connection = await mongoose.createConnection(testDatabaseUri('planner_statistics')).asPromise();
    const schema = new mongoose.Schema<{ bucket: string; n: number }>({
      bucket: { type: String, required: true },
      n: { type: Number, required: true },
    });
    schema.index({ bucket: 1 });
    Item = connection.model('Item', schema, 'items') as unknown as mongoose.Model<never>;
    await Item.init();
    await ensurePushdownIndexes(postgresqlUrl!, connection, [Item]);
    // Autovacuum analysing on its own between the steps would make the first check a race.
    await onTable(
      postgresqlUrl!,
      connection.name,
      'items',
      'ALTER TABLE $table SET (autovacuum_enabled = false)',
    );
  });
  after(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('builds the equality indexes without a pending list, and switches older ones over', async () => {
    const url = postgresqlUrl!;
    const fastUpdate = async () =>
      onTable<{ name: string; options: string[] | null }>(
        url,
        connection.name,
        'items',
        `SELECT c.relname AS name, c.reloptions AS options FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = '$table'::regclass AND c.relname LIKE 'redress%' ORDER BY 1`,
      );
    const made = await fastUpdate();
    expect(made.map((index) => index.name)).to.have.length(2); // _id and bucket
    for (const index of made) expect(index.options).to.include('fastupdate=off');

    // An index an earlier version made, with GIN's default pending list.
    const bucketIndex = made.find((index) => index.name.endsWith('_bucket'))!.name;
    await onTable(
      url,
      connection.name,
      'items',
      `ALTER INDEX ${pg.escapeIdentifier(connection.name)}.${pg.escapeIdentifier(bucketIndex)} SET (fastupdate = on)`,
    );
    expect((await fastUpdate()).find((index) => index.name === bucketIndex)!.options).to.include(
      'fastupdate=on',
    );
    await ensurePushdownIndexes(url, connection, [Item]);
    for (const index of await fastUpdate()) expect(index.options).to.include('fastupdate=off');
  });

  it('knows a bucket filled since its last statistics once refreshed, instead of guessing one row', async () => {
    const url = postgresqlUrl!;
    const fill = (bucket: string) =>
      Item.collection.insertMany(Array.from({ length: 1_500 }, (_, n) => ({ bucket, n })));
    await fill('old');
    await refreshPlannerStatistics(url, connection, ['items', 'no_such_collection']);
    await fill('new');

    // The import's case: the new bucket is unknown, so it is planned as (almost) empty.
    expect(await estimatedRows(url, connection.name, 'new')).to.be.below(20);

    await refreshPlannerStatistics(url, connection, ['items']);
    const estimate = await estimatedRows(url, connection.name, 'new');
    expect(estimate).to.be.within(1_000, 2_000);
  });
});
