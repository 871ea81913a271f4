import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';

const FILE = 'docs/benchmarks.md';

/**
 * Replaces the generated block `<!-- name:begin -->…<!-- name:end -->` of docs/benchmarks.md,
 * keeping the hand-written text around it; appends the block, under a heading, the first time.
 */
export async function replaceReportSection(
  name: string,
  body: string,
  heading = '## Web app size',
): Promise<void> {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${begin}\n${body}\n${end}`;
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${heading}\n\n${block}\n`;
  // Formatted as `npm test` checks it, so regenerating never breaks the format check.
  const options = (await prettier.resolveConfig(FILE)) ?? {};
  writeFileSync(FILE, await prettier.format(next, { ...options, filepath: FILE }));
}
