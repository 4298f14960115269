import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/**
 * Replaces the generated section of `docs/benchmarks.md` (between the bench markers) with this
 * run's table, machine and command, so the page always shows one real run, never a hand-edit.
 */
export function writeDocs(file: string, section: string): void {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${file} has no ${START} … ${END} section`);
  writeFileSync(file, `${text.slice(0, from + START.length)}\n${section}\n${text.slice(to)}`);
}
