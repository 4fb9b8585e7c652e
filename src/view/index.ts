/** The page that draws a case's argument graph: its data, its HTML, the assets it loads and its signed links. */
export { escapeHtml } from './escape-html.js';
export { PAGE_ASSETS, renderViewPage, scriptSafeJson } from './render-view-page.js';
export { loadViewAssets, VIEW_ASSET_NAMES, type ViewAsset } from './view-assets.js';
export { buildViewData, type ViewData, type ViewExtras, type ViewSchemeInfo } from './view-data.js';
export { createViewLinks, type ViewLinkCheck, type ViewLinks } from './view-link.js';
