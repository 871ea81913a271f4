import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { insertManyTolerating } from './duplicate-key.ts';
import { startFerretdb } from './ferretdb-process.ts';

const BATCH = 500;

/**
 * Redress before 0.2 kept its embedded data in FerretDB's SQLite backend under DATA_DIR/db.
 * When such a folder is found, every collection of every database in it is copied into the
 * new backend (inserts that tolerate duplicates, so an interrupted copy resumes), the counts
 * are compared, and only then is the folder renamed — never deleted — so that it is copied
 * exactly once and nobody loses cases.
 */
export async function migrateSqliteDirectory(options: {
  dataDir: string;
  binary: string;
  targetUri: string;
  log: (message: string) => void;
}): Promise<void> {
  const legacyDir = join(options.dataDir, 'db');
  if (!existsSync(legacyDir) || !readdirSync(legacyDir).some((f) => f.endsWith('.sqlite'))) return;
  options.log(`found a SQLite data directory at ${legacyDir}; copying it to PostgreSQL once`);
  const legacy = await startFerretdb(
    options.binary,
    ['--handler=sqlite', `--sqlite-url=file:${legacyDir}/`],
    0,
  );
  const source = new MongoClient(legacy.uri);
  const target = new MongoClient(options.targetUri);
  try {
    await Promise.all([source.connect(), target.connect()]);
    const { databases } = await source.db('admin').admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) {
      const collections = await source.db(name).listCollections({}, { nameOnly: true }).toArray();
      for (const { name: collection } of collections) {
        const copied = await copyCollection(source, target, name, collection);
        options.log(`  ${name}.${collection}: ${copied} documents`);
      }
    }
  } finally {
    await Promise.all([source.close(), target.close()]);
    await legacy.process.stop();
  }
  const renamed = `${legacyDir}.sqlite-migrated-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(legacyDir, renamed);
  options.log(`SQLite data copied; the old folder is kept as ${renamed}`);
}

async function copyCollection(
  source: MongoClient,
  target: MongoClient,
  dbName: string,
  name: string,
): Promise<number> {
  const from = source.db(dbName).collection(name);
  const to = target.db(dbName).collection(name);
  let batch: Document[] = [];
  const flush = async () => {
    if (!batch.length) return;
    // Documents a previous, interrupted copy already wrote are refused and skipped.
    await insertManyTolerating(to, batch);
    batch = [];
  };
  for await (const doc of from.find({})) {
    batch.push(doc);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  const [expected, actual] = await Promise.all([from.countDocuments(), to.countDocuments()]);
  if (actual < expected) {
    throw new Error(
      `copying ${dbName}.${name} from SQLite left ${actual} of ${expected} documents; the SQLite folder was kept as it was`,
    );
  }
  return expected;
}
