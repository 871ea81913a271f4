import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import { BSON } from 'mongodb';
import type { Connection } from 'mongoose';
import * as tar from 'tar';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  dumpOrder,
  MANIFEST_NAME,
  type BackupManifest,
  type BackupPart,
} from './manifest.ts';

/** Kept out of backups: sign-ins and throttles start afresh on the restored copy. */
export const NOT_BACKED_UP = new Set(['sessions', 'rate_limits']);
/** Folders of the evidence store that hold no stored evidence (uploads in flight, the bin). */
const EVIDENCE_SKIP = new Set(['.tmp', 'tmp', '.trash']);

export interface CreateBackupOptions {
  connection: Connection;
  /** The evidence store's folder when evidence is on the file system; null for GridFS. */
  uploadDir: string | null;
  out: string;
  redressVersion: string;
  source: string;
  log?: (message: string) => void;
}

export interface BackupSummary {
  out: string;
  collections: number;
  documents: number;
  evidenceFiles: number;
  bytes: number;
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** One collection as canonical Extended JSON lines, so ObjectIds, dates and binaries survive. */
async function dumpCollection(
  connection: Connection,
  name: string,
  path: string,
): Promise<BackupPart> {
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  let bytes = 0;
  let documents = 0;
  const cursor = connection.db!.collection(name).find({}, { batchSize: 1000 });
  try {
    for await (const doc of cursor) {
      const line = Buffer.from(BSON.EJSON.stringify(doc, { relaxed: false }) + '\n');
      hash.update(line);
      bytes += line.length;
      documents++;
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out);
  }
  return {
    path: `db/${name}.ndjson`,
    bytes,
    sha256: hash.digest('hex'),
    collection: name,
    documents,
  };
}

async function evidenceFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dir === root && (EVIDENCE_SKIP.has(entry.name) || entry.name.startsWith('.'))) continue;
        await walk(path);
        // Root-level files (uploads/README.md) are not evidence: the store keeps content in
        // folders named by its hash.
      } else if (entry.isFile() && dir !== root && !entry.name.startsWith('.')) found.push(path);
    }
  };
  await walk(root);
  return found.sort();
}

/**
 * Writes one archive (tar + gzip) of the database and the evidence store while Redress keeps
 * serving: every collection dumped through the driver (so it works the same on the embedded
 * FerretDB and on MongoDB), then the evidence files, which are content-addressed and never
 * change, so a file the dumped records name is there even if uploads go on meanwhile. The
 * archive appears under its name only when complete.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupSummary> {
  const log = options.log ?? (() => {});
  const staging = await mkdtemp(join(dirname(options.out), '.redress-backup-'));
  try {
    await mkdir(join(staging, 'db'));
    const listed = await options.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    const names = dumpOrder(
      listed
        .map((c) => c.name)
        .filter((name) => !name.startsWith('system.') && !NOT_BACKED_UP.has(name)),
    );
    const parts: BackupPart[] = [];
    let documents = 0;
    for (const name of names) {
      const part = await dumpCollection(
        options.connection,
        name,
        join(staging, 'db', `${name}.ndjson`),
      );
      parts.push(part);
      documents += part.documents ?? 0;
      log(`${name}: ${part.documents} documents`);
    }
    let evidenceCount = 0;
    if (options.uploadDir) {
      for (const file of await evidenceFiles(options.uploadDir)) {
        const rel = relative(options.uploadDir, file).split(sep).join('/');
        const target = join(staging, 'evidence', rel);
        await mkdir(dirname(target), { recursive: true });
        await pipeline(createReadStream(file), createWriteStream(target));
        parts.push({ path: `evidence/${rel}`, ...(await hashFile(target)) });
        evidenceCount++;
      }
      log(`evidence: ${evidenceCount} files`);
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      redressVersion: options.redressVersion,
      createdAt: new Date().toISOString(),
      source: options.source,
      evidenceStorage: options.uploadDir ? 'fs' : 'gridfs',
      parts,
    };
    await writeFile(join(staging, MANIFEST_NAME), JSON.stringify(manifest, null, 2));
    const partial = `${options.out}.partial`;
    await tar.c({ gzip: true, file: partial, cwd: staging, portable: true }, [
      MANIFEST_NAME,
      ...parts.map((part) => part.path),
    ]);
    await rename(partial, options.out);
    return {
      out: options.out,
      collections: names.length,
      documents,
      evidenceFiles: evidenceCount,
      bytes: (await stat(options.out)).size,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
