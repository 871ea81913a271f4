// npm run backup -- --out FILE
// One archive (tar.gz) of the database and the evidence store, with a manifest of counts and
// sha256s; safe while Redress is serving. Uses the same database as the server.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBackup } from '../server/backup/create.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/connect.ts';
import { VERSION } from '../server/version.ts';

const USAGE = 'usage: npm run backup -- --out FILE';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' } }, strict: true }));
  } catch (error) {
    console.error(`backup: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.out) {
    console.error(`backup: --out is required\n${USAGE}`);
    return 2;
  }
  const out = resolve(values.out);
  if (existsSync(out)) {
    console.error(`backup: ${out} already exists; choose a new file name`);
    return 2;
  }
  if (!existsSync(dirname(out))) {
    console.error(`backup: the folder ${dirname(out)} does not exist`);
    return 2;
  }
  const config = loadConfig();
  const database = await openDatabase(config, (m) => console.error(m));
  try {
    const summary = await createBackup({
      connection: database.connection,
      uploadDir: config.evidence.storage === 'fs' ? config.uploadDir : null,
      out,
      redressVersion: VERSION,
      source: database.description,
      log: (m) => console.error(`backup: ${m}`),
    });
    console.log(
      `wrote ${summary.out}: ${summary.collections} collections, ${summary.documents} documents, ${summary.evidenceFiles} evidence files, ${summary.bytes} bytes`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`backup failed: ${error instanceof ConfigError ? error.message : String(error)}`);
    process.exit(1);
  },
);
