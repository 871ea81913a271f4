#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test` and `npm run bench` on a fresh machine:
// it installs what is missing (npm packages, the FerretDB binary), then runs the command.
// Only Node built-ins here: this runs before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command = 'start', ...rest] = process.argv.slice(2);
const say = (message) => console.error(`redress: ${message}`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function ensureNpmPackages() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing npm packages (npm ci)...');
  // Dev dependencies too, also under NODE_ENV=production: the build needs TypeScript and Vite.
  // A production host that ships a built tree runs `npm ci --omit=dev` itself instead.
  if (run('npm', ['ci', '--include=dev', '--no-audit', '--no-fund']) !== 0) {
    say('npm ci failed; see above');
    process.exit(1);
  }
}

function ensureFerretdb() {
  say('checking the embedded FerretDB binary (the first build takes a few minutes)...');
  const result = spawnSync('bash', [join(root, 'scripts', 'build-ferretdb.sh')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    say(
      'the embedded FerretDB is not available; install Go, or set MONGODB_URI / TEST_MONGODB_URI',
    );
    process.exit(1);
  }
  say(`FerretDB: ${result.stdout.trim()}`);
}

/** The newest modification time under a path: what the web build depends on. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const SERVER_SOURCES = ['server', 'workflows', 'scripts', 'tsconfig.json', 'tsconfig.build.json'];

/** Compiles the server, workflow and CLIs into dist/ when missing or older than their sources. */
function ensureServerBuild() {
  const built = join(root, 'dist', 'server', 'main.js');
  const newest = Math.max(...SERVER_SOURCES.map((entry) => newestMtime(join(root, entry))));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return 0;
  if (!existsSync(bin('tsc'))) {
    say(
      'dist/ is missing or stale and TypeScript is not installed: run `npm ci` with dev dependencies',
    );
    return 1;
  }
  say('compiling the server (tsc -p tsconfig.build.json)...');
  const status = run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  // tsc leaves main.js untouched when nothing changed; its time must still say "built now".
  if (status === 0 && existsSync(built)) utimesSync(built, new Date(), new Date());
  return status;
}

/** Builds the web app when its build is missing or older than any of its sources. */
function ensureWebBuild() {
  const web = join(root, 'web');
  const built = join(web, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'postcss.config.js'].map(
    (entry) => newestMtime(join(web, entry)),
  );
  sources.push(newestMtime(join(root, 'package-lock.json')));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources)) return 0;
  if (!existsSync(bin('vite'))) {
    say(
      'web/dist is missing or stale and Vite is not installed: run `npm ci` with dev dependencies',
    );
    return 1;
  }
  say('building the web app (vite build)...');
  return run(bin('vite'), ['build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn']);
}

function bin(name) {
  return join(root, 'node_modules', '.bin', name);
}

/** Runs a long-lived child, passing termination signals through so it can shut down cleanly. */
function supervise(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function timed(label, fn) {
  const started = Date.now();
  const status = fn();
  say(
    `${label}: ${status === 0 ? 'ok' : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status;
}

ensureNpmPackages();

switch (command) {
  case 'start':
    if (!process.env.MONGODB_URI) ensureFerretdb();
    if (ensureServerBuild() !== 0 || ensureWebBuild() !== 0) {
      say('the build failed; see above');
      process.exit(1);
    }
    supervise(process.execPath, [join(root, 'dist', 'server', 'main.js'), ...rest]);
    break;
  case 'test': {
    if (!process.env.TEST_MONGODB_URI) ensureFerretdb();
    const steps = [
      ['lint', () => run(bin('eslint'), ['.'])],
      ['format', () => run(bin('prettier'), ['--check', '--log-level', 'warn', '.'])],
      [
        'typecheck',
        () => run(bin('tsc'), ['--noEmit']) || run(bin('tsc'), ['--noEmit', '-p', 'web']),
      ],
      // The integration suite starts the compiled server too (test/integration/cli).
      ['server build', ensureServerBuild],
      ['web build', ensureWebBuild],
      [
        'web size budget',
        () =>
          run(process.execPath, [
            '--import',
            'tsx',
            join(root, 'scripts', 'web-size.ts'),
            '--check',
            '--no-report',
          ]),
      ],
      [
        'dependencies',
        () =>
          run(bin('depcruise'), [
            'server',
            'workflows',
            'scripts',
            '--config',
            '.dependency-cruiser.cjs',
          ]),
      ],
      [
        'tests',
        () =>
          run(bin('mocha'), [
            ...(rest.length
              ? rest
              : [
                  'test/unit/**/*.test.ts',
                  'test/integration/**/*.test.ts',
                  'test/e2e/**/*.test.ts',
                ]),
          ]),
      ],
    ];
    let failed = 0;
    for (const [label, step] of steps) if (timed(label, step) !== 0) failed++;
    process.exit(failed ? 1 : 0);
    break;
  }
  case 'build': {
    const status = ensureServerBuild() || ensureWebBuild();
    process.exit(status);
    break;
  }
  case 'cli': {
    // The CLIs run compiled, like the server: `npm run user:create -- ...` and the others.
    const [name, ...args] = rest;
    if (!name || !existsSync(join(root, 'scripts', `${name}.ts`))) {
      say(`unknown CLI ${name ?? ''}`);
      process.exit(2);
    }
    if (ensureServerBuild() !== 0) process.exit(1);
    supervise(process.execPath, [join(root, 'dist', 'scripts', `${name}.js`), ...args]);
    break;
  }
  case 'bench':
    if (!process.env.MONGODB_URI) ensureFerretdb();
    supervise(process.execPath, [
      '--import',
      'tsx',
      join(root, 'scripts', 'bench', 'index.ts'),
      ...rest,
    ]);
    break;
  default:
    say(`unknown command ${command}; use start, build, cli, test or bench`);
    process.exit(2);
}
