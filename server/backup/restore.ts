import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { BSON, type Document } from 'mongodb';
import type { Connection } from 'mongoose';
import * as tar from 'tar';
import { z } from 'zod';
import { BackupManifest, MANIFEST_NAME, type BackupPart } from './manifest.ts';

/** A backup that cannot be restored as it is: damaged, partial, or not ours. */
export class BackupRefused extends Error {}

const BATCH = 500;

async function sha256Of(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function filesUnder(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await filesUnder(root, rel)));
    else found.push(rel);
  }
  return found;
}

/**
 * Unpacks an archive into a folder of its own and checks it whole before anything is
 * restored: the manifest parses, every part it lists is there with its size and sha256,
 * nothing else is, and each dump holds the number of documents the manifest says.
 */
export async function unpackAndVerify(
  file: string,
  workDir: string,
): Promise<{ dir: string; manifest: BackupManifest }> {
  const dir = await mkdtemp(join(workDir, '.redress-restore-'));
  try {
    await tar.x({ file, cwd: dir, strict: true, gzip: true });
  } catch (error) {
    // tar may still be finishing files it started when the stream failed: retry the removal.
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    throw new BackupRefused(
      `${file} is not a complete Redress backup: the archive cannot be read to its end (${(error as Error).message})`,
    );
  }
  try {
    let manifest: BackupManifest;
    try {
      manifest = BackupManifest.parse(JSON.parse(await readFile(join(dir, MANIFEST_NAME), 'utf8')));
    } catch (error) {
      throw new BackupRefused(
        `${file} has no valid ${MANIFEST_NAME}: ${error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message}`,
      );
    }
    const listed = new Set(manifest.parts.map((part) => part.path));
    for (const present of await filesUnder(dir)) {
      if (present !== MANIFEST_NAME && !listed.has(present))
        throw new BackupRefused(`${file} holds ${present}, which its manifest does not list`);
    }
    for (const part of manifest.parts) {
      const found = await sha256Of(join(dir, part.path)).catch(() => null);
      if (!found) throw new BackupRefused(`${file} is partial: ${part.path} is missing`);
      if (found.bytes !== part.bytes || found.sha256 !== part.sha256)
        throw new BackupRefused(
          `${file} is damaged: ${part.path} does not match its sha256 in the manifest`,
        );
      if (part.collection !== undefined) {
        const lines = await countLines(join(dir, part.path));
        if (lines !== part.documents)
          throw new BackupRefused(
            `${file} is damaged: ${part.path} holds ${lines} documents, the manifest says ${part.documents}`,
          );
      }
    }
    return { dir, manifest };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  })) {
    if (line.length > 0) lines++;
  }
  return lines;
}

async function restoreCollection(
  connection: Connection,
  dir: string,
  part: BackupPart,
): Promise<void> {
  const collection = connection.db!.collection(part.collection!);
  let batch: Document[] = [];
  const flush = async () => {
    if (batch.length) await collection.insertMany(batch, { ordered: true });
    batch = [];
  };
  const input = createInterface({
    input: createReadStream(join(dir, part.path)),
    crlfDelay: Infinity,
  });
  for await (const line of input) {
    if (!line) continue;
    batch.push(BSON.EJSON.parse(line, { relaxed: false }) as Document);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
}

export interface RestoreOptions {
  file: string;
  connection: Connection;
  /** Where fs evidence goes; must be empty or absent. */
  uploadDir: string;
  /** A folder on the same disk for the unpacked archive. */
  workDir: string;
  log?: (message: string) => void;
}

/** Restores a verified archive into an empty database and an empty evidence folder. */
export async function restoreBackup(
  options: RestoreOptions,
): Promise<{ documents: number; evidenceFiles: number; manifest: BackupManifest }> {
  const unpacked = await unpackAndVerify(options.file, options.workDir);
  try {
    return await restoreUnpacked({ ...options, ...unpacked });
  } finally {
    await rm(unpacked.dir, { recursive: true, force: true });
  }
}

/** The second half of a restore, for callers that verify the archive before opening a database. */
export async function restoreUnpacked(options: {
  dir: string;
  manifest: BackupManifest;
  connection: Connection;
  uploadDir: string;
  log?: (message: string) => void;
}): Promise<{ documents: number; evidenceFiles: number; manifest: BackupManifest }> {
  const { dir, manifest } = options;
  const log = options.log ?? (() => {});
  await assertEmptyTarget(options.connection, options.uploadDir);
  let documents = 0;
  let evidenceFiles = 0;
  for (const part of manifest.parts) {
    if (part.collection !== undefined) {
      await restoreCollection(options.connection, dir, part);
      documents += part.documents ?? 0;
      log(`${part.collection}: ${part.documents} documents`);
    } else {
      const target = join(options.uploadDir, part.path.slice('evidence/'.length));
      await mkdir(dirname(target), { recursive: true });
      await pipeline(
        createReadStream(join(dir, part.path)),
        createWriteStream(target, { flags: 'wx' }),
      );
      evidenceFiles++;
    }
  }
  log(`evidence: ${evidenceFiles} files`);
  return { documents, evidenceFiles, manifest };
}

async function assertEmptyTarget(connection: Connection, uploadDir: string): Promise<void> {
  const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    if (name.startsWith('system.')) continue;
    if (await connection.db!.collection(name).findOne({}, { projection: { _id: 1 } }))
      throw new BackupRefused(
        `the database is not empty (${name} holds documents): restore only into a new data directory or database`,
      );
  }
  // Only evidence counts: the store's hash-named folders, not a README or .gitkeep beside them.
  const existing = await readdir(uploadDir, { withFileTypes: true }).catch(() => []);
  if (existing.some((entry) => entry.isDirectory() && !entry.name.startsWith('.')))
    throw new BackupRefused(
      `the evidence folder ${uploadDir} is not empty: restore into an empty one`,
    );
}
