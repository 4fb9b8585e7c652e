/**
 * A small horizontal bar chart as inline SVG (no script, no CDN), with optional interval whiskers.
 */
import { escapeHtml } from '../../view/escape-html.js';

export interface Bar {
  label: string;
  value: number;
  /** Optional interval drawn as a whisker, in the value's unit. */
  low?: number;
  high?: number;
  /** Text printed after the bar (defaults to the value). */
  text?: string;
}

/**
 * @param title accessible title of the chart
 * @param max the value at the right edge (default: the largest value or high)
 */
export function svgBarChart(title: string, bars: readonly Bar[], max?: number): string {
  // Labels get the room they need (about 6.5 px a character at 12 px), within bounds.
  const labelWidth = Math.min(340, Math.max(150, 10 + 6.5 * Math.max(0, ...bars.map((b) => b.label.length))));
  const barArea = 300;
  const width = labelWidth + barArea + 130;
  const rowHeight = 26;
  const height = bars.length * rowHeight + 10;
  const top = max ?? Math.max(1e-9, ...bars.map((b) => Math.max(b.value, b.high ?? 0)));
  const x = (v: number) => labelWidth + (barArea * Math.max(0, v)) / top;
  const rows = bars.map((b, i) => {
    const y = 5 + i * rowHeight;
    const whisker =
      b.low !== undefined && b.high !== undefined
        ? `<line x1="${x(b.low).toFixed(1)}" x2="${x(b.high).toFixed(1)}" y1="${y + 10}" y2="${y + 10}" stroke="#222" stroke-width="1.5"/>`
        : '';
    return (
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(b.label)}</text>` +
      `<rect x="${labelWidth}" y="${y + 2}" width="${(x(b.value) - labelWidth).toFixed(1)}" height="16" fill="#4a78b5"/>` +
      whisker +
      `<text x="${labelWidth + barArea + 8}" y="${y + 14}">${escapeHtml(b.text ?? String(b.value))}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">` +
    `<title>${escapeHtml(title)}</title>${rows.join('')}</svg>`
  );
}
