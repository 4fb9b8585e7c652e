/**
 * A line chart as inline SVG (no script, no CDN) for the risk–coverage curve: axes from 0 to 1 on both sides
 * (shares) with ticks and labels, one polyline a series through its own points only (a one-point series is a
 * marker, not a line from the origin), each point with its interval as a vertical whisker, and a legend.
 * Series that coincide stay visible: each has its own colour, dash pattern and marker shape, drawn in
 * decreasing size. With no series at all the plot says N/A instead of standing empty.
 */
import { escapeHtml } from '../../view/escape-html.js';

export interface Point {
  x: number;
  y: number;
  /** The interval of y, drawn as a whisker. */
  low?: number;
  high?: number;
}

export interface Series {
  /** The legend's text (name it with its n). */
  label: string;
  points: readonly Point[];
}

const COLOURS = ['#4a78b5', '#e08a3c', '#5b9e5b', '#8064a2', '#c0504d', '#4bacc6'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** A marker of shape `i` (circle, square, triangle, diamond), of radius r, centred on (x, y). */
function marker(i: number, x: number, y: number, r: number, colour: string): string {
  const p = (points: Array<[number, number]>) => `<polygon points="${points.map(([a, b]) => `${(x + a).toFixed(1)},${(y + b).toFixed(1)}`).join(' ')}" fill="${colour}"/>`;
  switch (i % 4) {
    case 0:
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="${colour}"/>`;
    case 1:
      return p([[-r, -r], [r, -r], [r, r], [-r, r]]);
    case 2:
      return p([[0, -r * 1.2], [r * 1.1, r * 0.8], [-r * 1.1, r * 0.8]]);
    default:
      return p([[0, -r * 1.3], [r * 1.3, 0], [0, r * 1.3], [-r * 1.3, 0]]);
  }
}

/**
 * @param title the chart's accessible title
 * @param axes the x and y axis labels
 * @param empty what the plot says when there is no series (why nothing is drawn)
 */
export function svgLineChart(title: string, series: readonly Series[], axes: { x: string; y: string }, empty = 'N/A: no answered item'): string {
  const left = 56;
  const top = 16;
  const plotW = 320;
  const plotH = 240;
  const legendX = left + plotW + 24;
  const width = legendX + 20 + 7 * Math.max(12, ...series.map((s) => s.label.length));
  const height = top + plotH + 48;
  const x = (v: number) => left + plotW * Math.min(1, Math.max(0, v));
  const y = (v: number) => top + plotH * (1 - Math.min(1, Math.max(0, v)));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#e4e4e4"/>` +
        `<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${top + plotH}" stroke="#e4e4e4"/>` +
        `<text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>` +
        `<text x="${x(t)}" y="${top + plotH + 16}" text-anchor="middle">${t}</text>`,
    )
    .join('');
  const drawn = series.map((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const r = Math.max(2.5, 5 - i * 0.8);
    const path = s.points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    const line = s.points.length > 1 ? `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${DASHES[i % DASHES.length]}"/>` : '';
    const whiskers = s.points
      .filter((p) => p.low !== undefined && p.high !== undefined)
      .map((p) => `<line class="interval" x1="${x(p.x) + i * 2}" x2="${x(p.x) + i * 2}" y1="${y(p.low!).toFixed(1)}" y2="${y(p.high!).toFixed(1)}" stroke="${colour}" stroke-width="1.2"/>`)
      .join('');
    const marks = s.points.map((p) => marker(i, x(p.x), y(p.y), r, colour)).join('');
    const ly = top + 10 + i * 18;
    const legend = `${marker(i, legendX + 5, ly - 4, 4, colour)}<text x="${legendX + 16}" y="${ly}">${escapeHtml(s.label)}</text>`;
    return `<g class="series" data-label="${escapeHtml(s.label)}" data-points="${s.points.length}">${whiskers}${line}${marks}${legend}</g>`;
  });
  const none = series.length === 0 ? `<text class="na" x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" fill="#555">${escapeHtml(empty)}</text>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">` +
    `<title>${escapeHtml(title)}</title>${grid}` +
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#222"/>` +
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#222"/>` +
    `<text class="axis-label" x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(axes.x)}</text>` +
    `<text class="axis-label" transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(axes.y)}</text>` +
    `${none}${drawn.join('')}</svg>`
  );
}
