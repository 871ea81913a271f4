import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../server/project-root.ts';

const RELATIVE = join('data', 'cfpb-complaints-sample.csv');

/** The checkout this one was cloned from, when that is a folder on this machine. */
function localOrigin(): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
    // `git clone .` records the origin as `<path>/.`.
    return isAbsolute(path) && existsSync(path) ? resolve(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The public CFPB sample (6,664 rows) the whole-sample tests and the benchmarks use. It is not
 * committed: it lives in `shared/` beside the repository, or beside the checkout a clean clone
 * was made from (`git clone . $(mktemp -d)`, as the CI check is run), or in REDRESS_SHARED_DIR.
 * The first that exists; else the path beside the repository, for the error to name.
 */
export function cfpbSamplePath(): string {
  const besideRepository = join(dirname(PROJECT_ROOT), 'shared', RELATIVE);
  const configured = process.env.REDRESS_SHARED_DIR;
  const origin = localOrigin();
  const candidates = [
    ...(configured ? [join(configured, RELATIVE)] : []),
    besideRepository,
    ...(origin ? [join(dirname(origin), 'shared', RELATIVE)] : []),
  ];
  return candidates.find((path) => existsSync(path)) ?? besideRepository;
}
