/** The page that draws a case's argument graph: its data, its HTML and the assets it loads. */
export { escapeHtml, PAGE_ASSETS, renderViewPage, scriptSafeJson } from './render-view-page.js';
export { loadViewAssets, VIEW_ASSET_NAMES, type ViewAsset } from './view-assets.js';
export { buildViewData, type ViewData, type ViewSchemeInfo } from './view-data.js';
