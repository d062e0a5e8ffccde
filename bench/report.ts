// Output shared by the benchmark scripts: plain lines and Markdown-style tables on stdout.

export const log = (line = "") => process.stdout.write(`${line}\n`);
export const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? "").length)));
  const line = (row: string[]) => `| ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(" | ")} |`;
  const rule = `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join("\n");
}

/** One line of a Targets table; `baseline` is the figure before the fix, where the issue gives one. */
export type Target = { name: string; value: string; target: string; pass: boolean; baseline?: string };
