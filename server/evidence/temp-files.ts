import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';

/**
 * Removes upload temp files older than `olderThanMs` (by their modification time, which an
 * upload in progress keeps fresh): leftovers of crashes and of connections that died.
 */
export async function sweepTempFiles(
  deps: { tempDir: string; wallNow: () => number; logger: Logger },
  olderThanMs: number,
): Promise<number> {
  let names: string[];
  try {
    names = await readdir(deps.tempDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const cutoff = deps.wallNow() - olderThanMs;
  let removed = 0;
  for (const name of names) {
    const path = join(deps.tempDir, name);
    const info = await lstat(path).catch(() => null);
    if (!info || info.mtimeMs > cutoff) continue;
    await rm(path, { force: true, recursive: true });
    removed++;
  }
  if (removed) deps.logger.info({ removed }, 'removed stale upload temp files');
  return removed;
}
