/**
 * A small line chart as inline SVG (no script, no CDN): one polyline of points a series, axes from 0 to 1
 * on both sides (shares), a legend. Used for the risk–coverage curve.
 */
import { escapeHtml } from '../../view/escape-html.js';

export interface Series {
  label: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

const COLOURS = ['#4a78b5', '#c0504d', '#9bbb59', '#8064a2', '#f79646', '#4bacc6'];

/**
 * @param title accessible title of the chart
 * @param axes the x and y axis labels
 */
export function svgLineChart(
  title: string,
  series: readonly Series[],
  axes: { x: string; y: string },
): string {
  const width = 560;
  const height = 300;
  const left = 50;
  const bottom = 40;
  const plotW = 340;
  const plotH = height - bottom - 20;
  const x = (v: number) => (left + plotW * Math.min(1, Math.max(0, v))).toFixed(1);
  const y = (v: number) => (20 + plotH * (1 - Math.min(1, Math.max(0, v)))).toFixed(1);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>` +
        `<text x="${left - 6}" y="${Number(y(t)) + 4}" text-anchor="end">${t}</text>` +
        `<text x="${x(t)}" y="${20 + plotH + 16}" text-anchor="middle">${t}</text>`,
    )
    .join('');
  const lines = series
    .map((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const path = s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ');
      const dots = s.points
        .map((p) => `<circle cx="${x(p.x)}" cy="${y(p.y)}" r="3" fill="${colour}"/>`)
        .join('');
      const legendY = 30 + i * 18;
      return (
        `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}` +
        `<rect x="${left + plotW + 20}" y="${legendY - 9}" width="10" height="10" fill="${colour}"/>` +
        `<text x="${left + plotW + 36}" y="${legendY}">${escapeHtml(s.label)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">` +
    `<title>${escapeHtml(title)}</title>${grid}` +
    `<line x1="${left}" x2="${left}" y1="20" y2="${20 + plotH}" stroke="#222"/>` +
    `<line x1="${left}" x2="${left + plotW}" y1="${20 + plotH}" y2="${20 + plotH}" stroke="#222"/>` +
    `<text x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle">${escapeHtml(axes.x)}</text>` +
    `<text transform="translate(12 ${20 + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(axes.y)}</text>` +
    `${lines}</svg>`
  );
}
