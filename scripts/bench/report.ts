import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { replaceReportSection } from '../web/report-section.ts';
import type { LoadResult, OpFigures } from './load.ts';
import type { ScaleResult } from './scale.ts';

const FILE = 'docs/benchmarks.md';
const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

type Figures = Record<string, number>;

/**
 * Rewrites the generated block of docs/benchmarks.md with this run's figures, keeping the
 * hand-written notes around it.
 */
export function writeBenchmarkReport(
  results: Record<string, Figures | object>,
  machine: Record<string, string | number>,
  settings: { seconds: number; connections: number },
): void {
  const lines = [
    BEGIN,
    `Last run: ${new Date().toISOString()} — ${Object.entries(machine)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}; ${settings.connections} connections, ${settings.seconds} s per timed part.`,
    '',
    '| part | figures |',
    '|---|---|',
    ...Object.entries(results).map(
      ([part, figures]) =>
        `| ${part} | ${Object.entries(figures as Figures)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} |`,
    ),
    '',
    '```json',
    JSON.stringify(results),
    '```',
    END,
  ].join('\n');
  const current = existsSync(FILE)
    ? readFileSync(FILE, 'utf8')
    : '# Benchmarks\n\n' + BEGIN + '\n' + END + '\n';
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + lines + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${lines}\n`;
  writeFileSync(FILE, next);
}

/** How this run was started, as one would type it again. */
export function benchCommand(): string {
  const args = process.argv.slice(process.argv.findIndex((a) => a.endsWith('index.ts')) + 1);
  return `npm run bench -- ${args.join(' ')}`.trim();
}

const ms = (figures: OpFigures) => `${figures.p50} / ${figures.p95} / ${figures.p99}`;

/** Rewrites the generated part of the "Load" section with this run's figures. */
export async function writeLoadReport(
  result: LoadResult,
  machine: Record<string, string | number>,
  command: string,
): Promise<void> {
  const rows = Object.entries(result.ops).filter(([, figures]) => figures.count > 0);
  const { cpu } = result;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine.cpuModel} (${machine.cpus} cores), ` +
      `${machine.memoryGb} GB, Node ${machine.node}, ${machine.database}: \`${command}\`. ` +
      `${result.cases.toLocaleString('en')} cases (${result.workingSet} of them filed through HTTP ` +
      `before the clock), ${result.connections} connections, ${result.seconds} s; seeding took ` +
      `${result.seedSeconds} s. During the timed run the bench, the server and the database used ` +
      `${cpu.benchAndServerCores} cores on average (the server ${cpu.serverCores}, FerretDB and ` +
      `PostgreSQL ${cpu.databaseCores}, this client ${cpu.clientCores}), and other work on this shared machine ` +
      `${cpu.otherWorkCores} of its ${machine.cpus} cores.`,
    '',
    '| operation | count | p50 / p95 / p99 (ms) |',
    '| --- | --- | --- |',
    ...rows.map(([kind, figures]) => `| ${kind} | ${figures.count} | ${ms(figures)} |`),
    '',
    `**${result.rps} requests/s** (${result.requests} in ${result.seconds} s), ` +
      `**${result.errors} errors**${result.errors ? ` (${JSON.stringify(result.errorsByStatus)})` : ''}, ` +
      `${result.conflicts} conflicts (409, expected: another worker changed the case first), ` +
      `**${result.lostUpdates} lost updates** over ${result.acknowledgedChanges} acknowledged ` +
      `writes (filings, events, notes, uploads) on ${result.checkedCases} cases read back.`,
  ].join('\n');
  await replaceReportSection('bench-load', body, '## Load');
}

/** Rewrites the generated part of the "Scale" section: each view at 1,000 and at N cases. */
export async function writeScaleReport(
  result: ScaleResult,
  machine: Record<string, string | number>,
  command: string,
): Promise<void> {
  const n = result.cases.toLocaleString('en');
  const pair = (f: { p50: number; p95: number }) => `${f.p50} / ${f.p95}`;
  const { idle } = result;
  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine.cpuModel} (${machine.cpus} cores), ` +
      `${machine.memoryGb} GB, Node ${machine.node}, ${machine.database}: \`${command}\` ` +
      `(N = ${n}, each database with the same ${result.filed} complaints filed through HTTP on ` +
      `top of its imported history; seeding N took ${result.seedSeconds} s).`,
    '',
    `| view | p50 / p95 at ${result.small.toLocaleString('en')} (ms) | p50 / p95 at ${n} (ms) | p95 ratio |`,
    '| --- | --- | --- | --- |',
    ...Object.entries(result.views).map(
      ([view, f]) => `| ${view} | ${pair(f.small)} | ${pair(f.large)} | ${f.ratio} |`,
    ),
    '',
    `Idle at ${n} cases over ${idle.seconds} s: Redress ${idle.redressPercentOfCore} % of one core, ` +
      `database ${idle.databasePercentOfCore} % (together ` +
      `${Math.round((idle.redressPercentOfCore + idle.databasePercentOfCore) * 10) / 10} %, target ≤ 2 %).`,
  ].join('\n');
  await replaceReportSection('bench-scale', body, '## Scale');
}
