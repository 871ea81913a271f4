// npm run web:size [-- --check] [--dist web/dist] [--no-report]
// What a phone downloads before a complainant page shows: the entry chunk, the complainant
// pages' chunks and everything they import statically, each gzipped as the server would send
// it over mobile data. --check fails above the 200 KB budget (issue: the web application).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { replaceReportSection } from './web/report-section.ts';

const BUDGET_BYTES = 200 * 1024;
const COMPLAINANT_PAGES = [
  'src/pages/complainant/MyCases.tsx',
  'src/pages/complainant/FileComplaint.tsx',
  'src/pages/complainant/CaseView.tsx',
  // Their strings arrive with them (loadAreas in web/src/i18n/index.tsx).
  'src/i18n/messages/complainant.ts',
];

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}
type Manifest = Record<string, ManifestChunk>;

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    dist: { type: 'string', default: 'web/dist' },
    'no-report': { type: 'boolean', default: false },
  },
});
const dist = resolve(values.dist);
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;

/** A chunk and everything it imports statically: what the browser must fetch to run it. */
function closure(keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the build manifest: was the page renamed?`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return seen;
}

function gzipped(key: string): number {
  return gzipSync(readFileSync(join(dist, manifest[key]!.file)), { level: 9 }).length;
}

const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
if (!entry) throw new Error('the build manifest has no entry chunk');
const entryChunks = closure([entry]);
const complainantChunks = closure([entry, ...COMPLAINANT_PAGES]);
const sum = (keys: Iterable<string>) => [...keys].reduce((total, key) => total + gzipped(key), 0);
const entryBytes = sum(entryChunks);
const complainantBytes = sum(complainantChunks);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const rows = [...complainantChunks]
  .map((key) => ({ chunk: manifest[key]!.file, bytes: gzipped(key) }))
  .sort((a, b) => b.bytes - a.bytes);
const report = [
  `Complainant pages, first load (entry + My cases + filing + case page + their strings, gzip -9): **${kb(complainantBytes)}** of the ${kb(BUDGET_BYTES)} budget; the shell alone (entry chunk and its imports) is ${kb(entryBytes)}.`,
  '',
  '| chunk | gzipped |',
  '|---|---|',
  ...rows.map((row) => `| \`${row.chunk.replace(/-[\w-]{8}\.js$/, '.js')}\` | ${kb(row.bytes)} |`),
  '',
  `Measured by \`npm run web:size\` on the production build (\`npm run web:build\`), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}. \`npm test\` runs it with \`--check\`, which fails above the budget.`,
].join('\n');

console.log(report);
if (!values['no-report'] && !values.check) await replaceReportSection('web-size', report);
if (values.check && complainantBytes > BUDGET_BYTES) {
  console.error(`web-size: ${kb(complainantBytes)} is over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
