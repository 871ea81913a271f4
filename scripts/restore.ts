// npm run restore -- FILE
// Checks every part of a backup against its manifest first, then restores it into an empty
// database (a new DATA_DIR, or an empty MONGODB_URI database) and an empty UPLOAD_DIR.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { rm } from 'node:fs/promises';
import { BackupRefused, restoreUnpacked, unpackAndVerify } from '../server/backup/restore.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { acquireDirectoryLock } from '../server/db/child-process.ts';
import { openDatabase } from '../server/db/connect.ts';

const USAGE = 'usage: npm run restore -- FILE   (into an empty DATA_DIR / UPLOAD_DIR)';

async function main(): Promise<number> {
  let positionals;
  try {
    ({ positionals } = parseArgs({ allowPositionals: true, options: {}, strict: true }));
  } catch (error) {
    console.error(`restore: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (positionals.length !== 1) {
    console.error(`restore: name one backup file\n${USAGE}`);
    return 2;
  }
  const file = resolve(positionals[0]!);
  if (!existsSync(file)) {
    console.error(`restore: ${file} does not exist`);
    return 2;
  }
  const config = loadConfig();
  if (!config.mongodbUri) {
    mkdirSync(config.dataDir, { recursive: true });
    // A data directory in use belongs to a running Redress; one with a cluster is not empty.
    acquireDirectoryLock(config.dataDir)();
    if (readdirSync(config.dataDir).some((name) => !name.startsWith('.')))
      throw new BackupRefused(
        `${config.dataDir} is not empty: restore into a new DATA_DIR (the backup is never merged into existing data)`,
      );
  }
  const unpacked = await unpackAndVerify(file, config.mongodbUri ? process.cwd() : config.dataDir);
  console.error(
    `restore: ${file} verified (${unpacked.manifest.parts.length} parts, sha256 checked)`,
  );
  try {
    const database = await openDatabase(config, (m) => console.error(m));
    try {
      const result = await restoreUnpacked({
        ...unpacked,
        connection: database.connection,
        uploadDir: config.uploadDir,
        log: (m) => console.error(`restore: ${m}`),
      });
      console.log(
        `restored ${result.documents} documents and ${result.evidenceFiles} evidence files from a backup of ${result.manifest.createdAt}`,
      );
      return 0;
    } finally {
      await database.close();
    }
  } finally {
    await rm(unpacked.dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof BackupRefused || error instanceof ConfigError) {
      console.error(`restore: ${error.message}`);
      process.exit(2);
    }
    console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
