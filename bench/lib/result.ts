/** One line of the results table. */
export interface Row {
  scenario: string;
  metric: string;
  qrlogin: number | string;
  baseline?: number | string;
  /** What the baseline is (e.g. `bare http+ws`). */
  baselineName?: string;
  /** qrlogin ÷ baseline (or the inverse where the bar says so; see `bar`). */
  ratio?: number;
  /** The bar from issue 8, in words. */
  bar?: string;
  pass?: boolean;
}

/** What a scenario returns: its table rows and everything it measured. */
export interface ScenarioResult {
  name: string;
  rows: Row[];
  details: Record<string, unknown>;
}

/** Rounds for the table: 3 significant digits, no exponent. */
export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  if (n === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
  return Number(n.toFixed(Math.min(digits, 4)));
}
