// npm run verify-export -- FILE [--json]
// Checks every case's hash chain in an NDJSON export, offline: no database, no configuration.
// Exit codes: 0 every case verified, 1 at least one case failed, 2 the file could not be read.
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyExport, type CaseFailure } from '../server/exports/verify.ts';

const USAGE = 'usage: npm run verify-export -- FILE.ndjson [--json]';

function describe(failure: CaseFailure): string {
  const name = failure.reference ?? '(unnamed case)';
  const id = failure.id ? `, id ${failure.id}` : '';
  const entry =
    failure.seq === null
      ? ''
      : ` entry seq ${failure.seq}${failure.entryType ? ` (${failure.entryType})` : ''}:`;
  return `  ✗ ${name} (line ${failure.line}${id}):${entry} ${failure.problem}`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: { json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`verify-export: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  let report;
  try {
    report = await verifyExport(createReadStream(file));
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : String(error);
    console.error(`verify-export: cannot read ${file}: ${reason}`);
    return 2;
  }
  const ok = report.failures.length === 0 && report.cases > 0;
  if (parsed.values.json) {
    console.log(JSON.stringify({ file, ok, ...report }));
    return ok ? 0 : 1;
  }
  console.log(`verify-export: ${file}`);
  console.log(`  sha256 ${report.sha256} (${report.bytes} bytes)`);
  console.log(
    `  ${report.cases} cases, ${report.verified} verified, ${report.failures.length} failed, ${report.entries} timeline entries`,
  );
  if (report.cases === 0) console.log('  ✗ the file contains no cases');
  for (const failure of report.failures.slice(0, 50)) console.log(describe(failure));
  if (report.failures.length > 50) console.log(`  … and ${report.failures.length - 50} more`);
  console.log(
    ok
      ? '  ✓ every hash chain verifies. Compare the sha256 with the export record (GET /api/v1/exports) to show the file is complete.'
      : '  ✗ verification FAILED',
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('verify-export failed:', error);
    process.exitCode = 2;
  },
);
