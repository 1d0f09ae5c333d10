// The table `pnpm bench` ends with: one line per result row of every benchmark, as a
// Markdown table (it reads in a terminal and pastes into a closing note or a README).
// Columns: the bench and row; the figure as median [p10–p90] over rounds; the CPU µs per
// request of the measured side / its baseline; the target; whether the median meets it; the
// runtime (the Node the harness ran, unless the row names another runtime it measured in).
import { formatFigure } from '../bench-result.mjs';

const HEADER = ['bench', 'row', 'median [p10–p90]', 'CPU µs/req (subject / baseline)', 'target', 'met', 'runtime'];

/**
 * `outcomes`: per benchmark `{ label, crashed, why, results, lastLine }`; `runtime`: the
 * Node version the benchmarks ran under. Returns the table as lines of text.
 */
export function summaryTable(outcomes, runtime) {
  const lines = [];
  for (const outcome of outcomes) {
    if (outcome.crashed) lines.push([outcome.label, `CRASHED: ${outcome.why}`, '', '', '', '', runtime]);
    else if (outcome.results.length === 0) lines.push([outcome.label, `(no BENCH_RESULT) ${outcome.lastLine || '(no output)'}`, '', '', '', '', runtime]);
    else {
      for (const row of outcome.results) {
        lines.push([
          row.bench ?? outcome.label,
          row.label,
          formatFigure(row),
          cpuColumn(row.cpuMicros),
          row.target ?? '',
          metColumn(row),
          row.runtime ?? runtime,
        ]);
      }
    }
  }
  const widths = HEADER.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const render = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [render(HEADER), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)];
}

function cpuColumn(cpu) {
  if (!cpu || (cpu.subject == null && cpu.baseline == null)) return '—';
  const us = (value) => (value == null ? '—' : value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2));
  return `${us(cpu.subject)} / ${us(cpu.baseline)}`;
}

function metColumn(row) {
  if (row.target === undefined) return '';
  if (row.met === undefined) return 'not judged';
  return row.met ? 'met' : 'MISSED';
}
