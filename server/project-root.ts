import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of Redress's package.json, found by walking up from this module, so paths to the
 * project's own files hold both when run from the sources and from the compiled `dist/`.
 */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'redress') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Redress package.json above this module');
    dir = parent;
  }
}

export const PROJECT_ROOT = findProjectRoot();
