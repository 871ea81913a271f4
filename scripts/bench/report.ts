import { readFileSync, writeFileSync, existsSync } from 'node:fs';

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
