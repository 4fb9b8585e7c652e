export { buildReport, itemFromRow, type RunReport } from './build-report.js';
export { reportCsv } from './report-csv.js';
export { reportHtml } from './report-html.js';
export { svgBarChart } from './svg-bar-chart.js';
export { writeReports } from './write-reports.js';
