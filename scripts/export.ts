// npm run export -- [--from 2026-01-01] [--to 2026-03-31] [--format ndjson|csv] [--out FILE]
//                   [--state S] [--category C] [--jurisdiction XX] [--consumer-body B]
// Exports case histories straight from the database (MONGODB_URI or the embedded FerretDB),
// with the same streaming code as GET /api/v1/exports/cases, and records the export in the
// same audit trail. Without --out (or with --out -) the export goes to stdout.
import { rename, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { z } from 'zod';
import { systemClock } from '../server/clock.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/connect.ts';
import { createExportModel } from '../server/exports/model.ts';
import { ExportFilters, ExportFormat } from '../server/exports/schemas.ts';
import { createExportService } from '../server/exports/service.ts';

const USAGE =
  'usage: npm run export -- [--from DATE] [--to DATE] [--format ndjson|csv] [--out FILE] [--state S] [--category C] [--jurisdiction XX] [--consumer-body B]';

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'ndjson' },
        out: { type: 'string' },
        state: { type: 'string' },
        category: { type: 'string' },
        jurisdiction: { type: 'string' },
        'consumer-body': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`export: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    return 2;
  }
  const format = ExportFormat.safeParse(values.format);
  const filters = ExportFilters.safeParse({
    filedFrom: values.from,
    filedTo: values.to,
    state: values.state,
    category: values.category,
    jurisdiction: values.jurisdiction,
    consumerBody: values['consumer-body'],
  });
  if (!format.success || !filters.success) {
    const error = !format.success ? format.error : filters.error!;
    // The schema's field names are the API's; name the flags the operator typed instead.
    const flags: Record<string, string> = {
      filedFrom: '--from',
      filedTo: '--to',
      consumerBody: '--consumer-body',
    };
    for (const issue of error.issues) {
      const field = String(issue.path[0] ?? 'format');
      console.error(`export: ${flags[field] ?? `--${field}`}: ${issue.message}`);
    }
    console.error(USAGE);
    return 2;
  }

  const toStdout = values.out === undefined || values.out === '-';
  const report = toStdout ? console.error : console.log;
  const config = loadConfig();
  const database = await openDatabase(config, (message) => console.error(message));
  try {
    const service = createExportService({
      connection: database.connection,
      exports: createExportModel(database.connection),
      clock: systemClock,
    });
    // Counting costs a scan on FerretDB when filters are set: only for a bar someone watches.
    const total = process.stderr.isTTY ? await service.count(filters.data) : 0;
    const run = await service.begin(
      { id: `cli:${userInfo().username}`, role: 'operator', email: null },
      'cli',
      format.data,
      filters.data,
    );
    // Written under a temporary name and renamed at the end, so a file named like the export
    // is always a complete one.
    const partial = toStdout ? undefined : `${values.out}.partial`;
    const sink = partial ? createWriteStream(partial) : process.stdout;
    const bar = process.stderr.isTTY
      ? new SingleBar(
          {
            stream: process.stderr,
            format: 'export [{bar}] {percentage}% | {value}/{total} cases | {eta_formatted} left',
            etaBuffer: 200,
          },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(total, 0);
    const outcome = await run.run(sink, {
      onCase: (count) => bar?.update(count),
      endSink: !toStdout,
    });
    bar?.stop();
    if (outcome.status !== 'completed') {
      if (partial) await rm(partial, { force: true });
      console.error(`export: stopped after ${outcome.cases} cases: ${outcome.error}`);
      return 1;
    }
    if (partial) await rename(partial, values.out!);
    const seconds = outcome.durationMs / 1000;
    report(
      `export: ${outcome.cases} cases (${format.data}) → ${toStdout ? 'stdout' : values.out}, ${megabytes(outcome.bytes)} in ${seconds.toFixed(1)} s (${Math.round(outcome.cases / Math.max(seconds, 0.001))} cases/s)`,
    );
    report(`  sha256 ${outcome.sha256}`);
    report(`  recorded as export ${outcome.id} (GET /api/v1/exports)`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`export: ${error.message}`);
    else if (error instanceof z.ZodError) console.error(`export: ${z.prettifyError(error)}`);
    else console.error('export failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
