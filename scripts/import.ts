// npm run import -- --format cfpb FILE.csv
// Imports complaints from a CFPB Consumer Complaint Database CSV into the database the server
// uses (MONGODB_URI or the embedded FerretDB). Idempotent: a re-run imports nothing twice.
// Exit codes: 0 every row imported (or already there), 1 some rows were skipped (listed),
// 2 usage error or a file that cannot be imported at all (nothing written).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { systemClock } from '../server/clock.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/connect.ts';
import { refreshPlannerStatistics } from '../server/db/pushdown.ts';
import { AppError } from '../server/errors.ts';
import { createImportService, type ImportSummary } from '../server/imports/service.ts';
import { createUserModel } from '../server/users/model.ts';
import { createUserService } from '../server/users/service.ts';

const USAGE = 'usage: npm run import -- --format cfpb FILE.csv';
const FORMATS = ['cfpb'];
/**
 * An import this large fills page buckets the planner's statistics have not seen (see
 * refreshPlannerStatistics); a smaller one is within what autovacuum keeps up with.
 */
const STATISTICS_AFTER_IMPORTED = 1_000;

function counts(map: Record<string, number>): string {
  return Object.entries(map)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}

function report(file: string, summary: ImportSummary): void {
  const seconds = summary.durationMs / 1000;
  console.log(`import: ${file} (cfpb)`);
  console.log(
    `  ${summary.rows} rows read: ${summary.imported} imported, ${summary.alreadyImported} already imported, ${summary.skipped} skipped` +
      `${summary.busyElsewhere ? `, ${summary.busyElsewhere} being imported by another run` : ''}` +
      ` — ${seconds.toFixed(1)} s (${Math.round(summary.rows / Math.max(seconds, 0.001))} rows/s)`,
  );
  if (summary.imported > 0) {
    console.log(`  states: ${counts(summary.byState)}`);
    console.log(`  categories: ${counts(summary.byCategory)}`);
  }
  if (summary.ignoredColumns.length > 0) {
    console.log(`  ignored columns: ${summary.ignoredColumns.join(', ')}`);
  }
  if (summary.problems.length > 0) {
    console.log('  skipped rows:');
    for (const p of summary.problems.slice(0, 200)) {
      const where = p.endLine > p.line ? `lines ${p.line}–${p.endLine}` : `line ${p.line}`;
      console.log(`    ${where}${p.sourceId ? ` (Complaint ID ${p.sourceId})` : ''}: ${p.problem}`);
    }
    if (summary.problems.length > 200)
      console.log(`    … and ${summary.problems.length - 200} more`);
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: { format: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`import: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  const format = parsed.values.format;
  if (!file || extra.length > 0 || !format || !FORMATS.includes(format)) {
    if (format && !FORMATS.includes(format)) {
      console.error(`import: unknown format "${format}"; supported: ${FORMATS.join(', ')}`);
    }
    console.error(USAGE);
    return 2;
  }
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    console.error(`import: cannot read ${file}`);
    return 2;
  }

  const config = loadConfig();
  const database = await openDatabase(config, (message) => console.error(message));
  try {
    const users = createUserModel(database.connection);
    await users.init();
    const service = createImportService({
      connection: database.connection,
      users: createUserService({ users, clock: systemClock }),
      clock: systemClock,
    });
    const bar = process.stderr.isTTY
      ? new SingleBar(
          {
            stream: process.stderr,
            format:
              'import [{bar}] {percentage}% | {rows} rows, {imported} imported, {skipped} skipped | {eta_formatted} left',
          },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(size, 0, { rows: 0, imported: 0, skipped: 0 });
    let summary: ImportSummary;
    try {
      summary = await service.importCfpb(createReadStream(file), {
        onProgress: (p) =>
          bar?.update(p.bytes, { rows: p.rows, imported: p.imported, skipped: p.skipped }),
      });
    } finally {
      bar?.stop();
    }
    report(file, summary);
    if (database.postgresqlUrl && summary.imported >= STATISTICS_AFTER_IMPORTED) {
      const started = performance.now();
      try {
        await refreshPlannerStatistics(database.postgresqlUrl, database.connection, [
          'cases',
          'case_terms',
        ]);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`  the database's query statistics refreshed for the new cases (${seconds} s)`);
      } catch (error) {
        // The cases are in; autovacuum refreshes the statistics later on its own.
        console.error(`import: the query statistics were not refreshed: ${String(error)}`);
      }
    }
    return summary.skipped > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AppError) {
      console.error(`import: ${error.detail}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) console.error(`import: ${error.message}`);
    else console.error('import failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
