import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SHA256_HEX, type ByteRange, type EvidenceStore, type StoredObject } from './store.ts';

const KEY = /^([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const FANOUT_DIR = /^[0-9a-f]{2}$/;
const HIDDEN_NAME = /^([0-9a-f]{64})\.[0-9a-f-]{36}$/;

// link() is refused by some file systems (FAT, some network shares); copying is the fallback.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Evidence on a local (or shared) disk: `<root>/<sha[0..2]>/<sha[2..4]>/<sha>`, with the
 * uploads' temp files in `<root>/.tmp` on the same file system so moving one in is atomic, and
 * objects a collection set aside in `<root>/.trash`.
 */
export function createFsStore(root: string, tempDir: string): EvidenceStore {
  const trashDir = join(root, '.trash');

  function pathOf(key: string): string {
    // The key comes from the database: never let a tampered record point outside the root.
    const match = KEY.exec(key);
    if (!match) throw new Error(`not an evidence storage key: ${key}`);
    return join(root, match[1]!, match[2]!, match[3]!);
  }

  function hiddenPath(token: string): string {
    if (!HIDDEN_NAME.test(token)) throw new Error(`not a hidden evidence token: ${token}`);
    return join(trashDir, token);
  }

  /** Atomically creates `target` with the bytes of `source`, or fails with EEXIST. */
  async function placeNew(source: string, target: string): Promise<void> {
    try {
      await link(source, target);
    } catch (error) {
      if (!NO_HARD_LINKS.has(errorCode(error) ?? '')) throw error;
      const copy = join(tempDir, `${randomUUID()}.copy`);
      try {
        await copyFile(source, copy);
        await link(copy, target).catch(async (linkError: unknown) => {
          if (!NO_HARD_LINKS.has(errorCode(linkError) ?? '')) throw linkError;
          await rename(copy, target);
        });
      } finally {
        await rm(copy, { force: true });
      }
    }
  }

  function keyOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  return {
    backend: 'fs',
    keyOf,

    async put(tempPath, sha256, size) {
      const key = keyOf(sha256);
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await placeNew(tempPath, target);
          return key;
        } catch (error) {
          if (errorCode(error) !== 'EEXIST') throw error;
        }
        try {
          const existing = await lstat(target);
          if (existing.isFile() && existing.size === size) {
            const now = new Date();
            await utimes(target, now, now);
            return key;
          }
          // Same name, wrong size: damaged. Replace it with the bytes just verified.
          const copy = join(tempDir, `${randomUUID()}.copy`);
          await copyFile(tempPath, copy);
          await rename(copy, target);
          return key;
        } catch (error) {
          // Collected between our link attempt and the stat: try again from the top.
          if (errorCode(error) !== 'ENOENT') throw error;
        }
      }
      throw new Error(`could not store ${sha256}`);
    },

    async has(key) {
      try {
        return (await lstat(pathOf(key))).isFile();
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return false;
        throw error;
      }
    },

    async open(key, range?: ByteRange) {
      let handle;
      try {
        handle = await open(pathOf(key), constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return null;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        const stream = handle.createReadStream({
          autoClose: true,
          ...(range ? { start: range.start, end: range.end } : {}),
        });
        return { stream, size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async *list(): AsyncIterable<StoredObject> {
      for (const first of await readDirOrEmpty(root)) {
        if (!FANOUT_DIR.test(first)) continue;
        for (const second of await readDirOrEmpty(join(root, first))) {
          if (!FANOUT_DIR.test(second)) continue;
          for (const name of await readDirOrEmpty(join(root, first, second))) {
            if (!SHA256_HEX.test(name)) continue;
            const info = await lstat(join(root, first, second, name)).catch(() => null);
            if (!info?.isFile()) continue;
            yield {
              key: `${first}/${second}/${name}`,
              sha256: name,
              touchedAt: info.mtime,
              hidden: false,
            };
          }
        }
      }
      for (const name of await readDirOrEmpty(trashDir)) {
        const match = HIDDEN_NAME.exec(name);
        if (!match) continue;
        const info = await lstat(join(trashDir, name)).catch(() => null);
        if (info) yield { key: name, sha256: match[1]!, touchedAt: info.mtime, hidden: true };
      }
    },

    async hiddenOf(sha256) {
      // Only objects a collection is deciding about are here: a short directory.
      return (await readDirOrEmpty(trashDir)).filter(
        (name) => HIDDEN_NAME.test(name) && name.startsWith(`${sha256}.`),
      );
    },

    async hide(key) {
      const sha256 = KEY.exec(key)?.[3];
      if (!sha256) throw new Error(`not an evidence storage key: ${key}`);
      const token = `${sha256}.${randomUUID()}`;
      await mkdir(trashDir, { recursive: true });
      try {
        await rename(pathOf(key), hiddenPath(token));
        return token;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return null;
        throw error;
      }
    },

    async unhide(token) {
      const sha256 = token.slice(0, 64);
      const target = pathOf(`${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
      await mkdir(dirname(target), { recursive: true });
      // An upload may have put the same bytes back meanwhile; either copy will do.
      // EEXIST: an upload put the same bytes back meanwhile. ENOENT: another instance's
      // collection settled this token first (it restores whatever is referenced).
      await placeNew(hiddenPath(token), target).catch((error: unknown) => {
        if (errorCode(error) !== 'EEXIST' && errorCode(error) !== 'ENOENT') throw error;
      });
      await rm(hiddenPath(token), { force: true });
    },

    async purge(token) {
      await rm(hiddenPath(token), { force: true });
    },

    // Objects appear by link/rename only, so a half-written object cannot exist here; the
    // half-written temp files are the temp sweep's business.
    async sweepPartial() {
      return 0;
    },

    async sweepPartialOf() {
      return 0;
    },
  };
}

async function readDirOrEmpty(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
    throw error;
  }
}
