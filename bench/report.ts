import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from './scenario.js';

function num(v: number | undefined, unit = ''): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}${unit && unit !== '/s' ? ` ${unit}` : ''}`;
}

const mb = (b: number | undefined) => (b === undefined ? '—' : `${Math.round(b / 2 ** 20)}`);
const pair = (a: string, b: string) => `${a} / ${b}`;

/** The result table, as fixed-width text. */
export function formatTable(rows: Row[]): string {
  const header = ['Scenario', 'Metric', 'Baseline', 'Orbit', 'Ratio', 'Target', '', 'Server CPU-s b/o', 'Server RSS MB b/o'];
  const lines = rows.map((r) => [
    r.scenario,
    r.metric,
    num(r.baseline, r.unit),
    num(r.orbit, r.unit),
    r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
    pair(num(r.cpu.baseline), num(r.cpu.orbit)),
    pair(mb(r.rss.baseline), mb(r.rss.orbit)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const right = new Set([2, 3, 4, 7, 8]);
  const fmt = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l[0] === last) l[0] = '';
    else last = l[0]!;
    out.push(fmt(l));
  }
  return out.join('\n');
}

/** Writes the full results as JSON into `dir`; returns the file's path. */
export function writeJson(dir: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `bench-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
