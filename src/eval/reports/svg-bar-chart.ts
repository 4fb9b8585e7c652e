/**
 * A horizontal bar chart as inline SVG (no script, no CDN), for the report's figures: each bar with its
 * interval as a capped whisker and its text (value, interval, n) beside it, a value axis with ticks and a
 * label, bars in groups (one a method) under a group heading. A bar without a value (a share over zero items)
 * is drawn as a hatched "N/A" box across the axis, never as an empty bar that reads as 0.
 * Each bar is a `<g class="bar">` (`bar na` without a value) carrying its figures as data attributes, so the
 * report's browser test can check what a reader sees.
 */
import { escapeHtml } from '../../view/escape-html.js';

export interface Bar {
  label: string;
  /** null: not applicable (drawn and printed as N/A). */
  value: number | null;
  /** The interval drawn as a whisker, in the value's unit. */
  low?: number;
  high?: number;
  /** How many items (or ratings) the value is over. */
  n?: number;
  /** Text printed after the bar: the value, its interval and n. */
  text: string;
  /** Bars of one group sit together under the group's name. */
  group?: string;
  /** Colour key: bars of one series (e.g. one measure across methods) share a colour. */
  series?: string;
}

export interface BarChartOptions {
  /** The axis range (default 0 to 1, shares). */
  min?: number;
  max?: number;
  /** The value axis's label, e.g. "share of items (%)". */
  axisLabel: string;
  /** A tick's text (default: a share as a percentage). */
  tick?: (value: number) => string;
  /** Tick values (default: five, evenly spaced over the range). */
  ticks?: readonly number[];
}

const COLOURS = ['#4a78b5', '#e08a3c', '#5b9e5b', '#8064a2', '#c0504d', '#4bacc6'];
const BAR_AREA = 300;
const ROW = 24;
const HEADING = 20;
const TEXT_AREA = 230;


const percent = (v: number) => `${Math.round(100 * v)}%`;
const attr = (v: number | undefined) => (v === undefined ? '' : String(Number(v.toFixed(6))));

interface Layout {
  labelWidth: number;
  x: (v: number) => number;
  colour: (series: string | undefined) => string;
  /** The id of this chart's N/A hatch pattern (ids are page-wide: one a chart). */
  hatch: string;
}

function barRow(b: Bar, y: number, l: Layout): string {
  const left = l.x(-Infinity);
  const data = `data-label="${escapeHtml(b.label)}" data-group="${escapeHtml(b.group ?? '')}" data-value="${b.value === null ? 'N/A' : attr(b.value)}" data-n="${b.n ?? ''}" data-low="${attr(b.low)}" data-high="${attr(b.high)}"`;
  const label = `<text x="${l.labelWidth - 8}" y="${y + 13}" text-anchor="end">${escapeHtml(b.label)}</text>`;
  const text = `<text class="figure" x="${left + BAR_AREA + 10}" y="${y + 13}">${escapeHtml(b.text)}</text>`;
  if (b.value === null) {
    const box = `<rect x="${left}" y="${y + 2}" width="${BAR_AREA}" height="15" fill="url(#${l.hatch})" stroke="#999" stroke-dasharray="3 2"/>`;
    const na = `<text x="${left + BAR_AREA / 2}" y="${y + 13}" text-anchor="middle" fill="#555">N/A</text>`;
    return `<g class="bar na" ${data}>${label}${box}${na}${text}</g>`;
  }
  const width = Math.max(0, l.x(b.value) - left);
  // A zero bar still shows where it sits: a thin mark on the axis.
  const rect = `<rect x="${left}" y="${y + 2}" width="${Math.max(width, 1.5).toFixed(1)}" height="15" fill="${l.colour(b.series)}"/>`;
  let whisker = '';
  if (b.low !== undefined && b.high !== undefined) {
    const [a, c] = [l.x(b.low).toFixed(1), l.x(b.high).toFixed(1)];
    const mid = y + 9.5;
    whisker =
      `<g class="interval" stroke="#111" stroke-width="1.5"><line x1="${a}" x2="${c}" y1="${mid}" y2="${mid}"/>` +
      `<line x1="${a}" x2="${a}" y1="${mid - 5}" y2="${mid + 5}"/><line x1="${c}" x2="${c}" y1="${mid - 5}" y2="${mid + 5}"/></g>`;
  }
  return `<g class="bar" ${data}>${label}${rect}${whisker}${text}</g>`;
}

function axis(top: number, bottom: number, l: Layout, o: Required<Pick<BarChartOptions, 'tick'>> & BarChartOptions, ticks: readonly number[]): string {
  const lines = ticks
    .map((t) => {
      const x = l.x(t).toFixed(1);
      return `<line x1="${x}" x2="${x}" y1="${top}" y2="${bottom}" stroke="#ddd"/><text x="${x}" y="${bottom + 14}" text-anchor="middle">${escapeHtml(o.tick(t))}</text>`;
    })
    .join('');
  const left = l.x(-Infinity);
  return (
    `<g class="axis">${lines}<line x1="${left}" x2="${left + BAR_AREA}" y1="${bottom}" y2="${bottom}" stroke="#222"/>` +
    `<text class="axis-label" x="${left + BAR_AREA / 2}" y="${bottom + 30}" text-anchor="middle">${escapeHtml(o.axisLabel)}</text></g>`
  );
}

/**
 * @param title the chart's accessible title
 * @param bars in drawing order; consecutive bars with the same `group` are drawn under one heading
 * @example svgBarChart('Coverage', [{ label: 'argmed', value: 0.8, low: 0.58, high: 0.92, n: 20, text: '80.0% [58.4–91.9] (16/20)' }], { axisLabel: 'share of items (%)' })
 */
export function svgBarChart(title: string, bars: readonly Bar[], options: BarChartOptions): string {
  const o = { min: 0, max: 1, tick: percent, ...options };
  const ticks = o.ticks ?? [0, 1, 2, 3, 4].map((i) => o.min + ((o.max - o.min) * i) / 4);
  // Labels get the room they need (about 6.5 px a character at 12 px), within bounds.
  const labelWidth = Math.min(340, Math.max(120, 14 + 6.5 * Math.max(0, ...bars.map((b) => b.label.length))));
  const seriesKeys = [...new Set(bars.map((b) => b.series ?? ''))];
  const layout: Layout = {
    labelWidth,
    x: (v) => labelWidth + (BAR_AREA * (Math.min(o.max, Math.max(o.min, Number.isFinite(v) ? v : o.min)) - o.min)) / (o.max - o.min),
    colour: (s) => COLOURS[seriesKeys.indexOf(s ?? '') % COLOURS.length],
    hatch: `na-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
  };
  const rows: string[] = [];
  let y = 4;
  let group: string | undefined;
  for (const b of bars) {
    if (b.group !== undefined && b.group !== group) {
      rows.push(`<text class="group" x="8" y="${y + 14}" font-weight="bold">${escapeHtml(b.group)}</text>`);
      y += HEADING;
    }
    group = b.group;
    rows.push(barRow(b, y, layout));
    y += ROW;
  }
  const width = labelWidth + BAR_AREA + TEXT_AREA;
  const height = y + 40;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">` +
    `<title>${escapeHtml(title)}</title>` +
    `<defs><pattern id="${layout.hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ccc" stroke-width="2"/></pattern></defs>` +
    `${axis(4, y + 2, layout, o, ticks)}${rows.join('')}</svg>`
  );
}
