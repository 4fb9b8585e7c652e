/**
 * Writes a run's report files into a folder: `<run>.json` (the whole report), `<run>.items.csv` and
 * `<run>.html`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunReport } from './build-report.js';
import { reportCsv } from './report-csv.js';
import { reportHtml } from './report-html.js';

/** @returns the paths written. */
export async function writeReports(
  report: RunReport,
  outDir: string,
  caseViewBase = '',
): Promise<{ json: string; csv: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const paths = {
    json: join(outDir, `${report.runId}.json`),
    csv: join(outDir, `${report.runId}.items.csv`),
    html: join(outDir, `${report.runId}.html`),
  };
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(paths.csv, reportCsv(report));
  await writeFile(paths.html, reportHtml(report, caseViewBase));
  return paths;
}
