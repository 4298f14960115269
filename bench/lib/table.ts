import type { Row } from './result.js';

const COLUMNS: [keyof Row | 'verdict', string][] = [
  ['metric', 'metric'],
  ['qrlogin', 'qrlogin'],
  ['baseline', 'baseline'],
  ['baselineName', 'baseline is'],
  ['ratio', 'ratio'],
  ['bar', 'bar'],
  ['verdict', 'met'],
];

function cell(row: Row, key: keyof Row | 'verdict'): string {
  if (key === 'verdict') return row.pass === undefined ? '' : row.pass ? 'yes' : 'NO';
  const v = row[key];
  if (v === undefined) return '';
  if (key === 'ratio') return `${v}×`;
  return String(v);
}

/** A Markdown table, grouped by scenario (a heading row per scenario). */
export function renderTable(rows: Row[]): string {
  const lines = [`| ${COLUMNS.map(([, h]) => h).join(' | ')} |`, `|${COLUMNS.map(() => '---').join('|')}|`];
  let scenario = '';
  for (const row of rows) {
    if (row.scenario !== scenario) {
      scenario = row.scenario;
      lines.push(
        `| **${scenario}** |${COLUMNS.slice(1)
          .map(() => '')
          .join(' |')} |`,
      );
    }
    lines.push(`| ${COLUMNS.map(([k]) => cell(row, k)).join(' | ')} |`);
  }
  return lines.join('\n');
}
