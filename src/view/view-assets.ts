/**
 * The files the graph page loads, served by the service itself (never from a CDN): cytoscape and its dagre
 * layout from node_modules (cytoscape-dagre 4 bundles dagre), and the page's own script and stylesheet from
 * `src/view/assets`. Files are read once, at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ViewAsset {
  contentType: string;
  body: Buffer;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Where each served asset comes from: a module path resolved in node_modules, or a file of src/view/assets. */
const SOURCES: Record<string, { module?: string; local?: string; contentType: string }> = {
  'cytoscape.min.js': { module: 'cytoscape/dist/cytoscape.min.js', contentType: JS },
  'cytoscape-dagre.js': { module: 'cytoscape-dagre', contentType: JS },
  'dagre.min.js': { module: 'dagre/dist/dagre.min.js', contentType: JS },
  'view.js': { local: 'view.js', contentType: JS },
  'contest.js': { local: 'contest.js', contentType: JS },
  'view.css': { local: 'view.css', contentType: CSS },
};

/** Names of the assets, as served under `/assets/`. */
export const VIEW_ASSET_NAMES = Object.keys(SOURCES) as [string, ...string[]];

/** The page's own asset folder: next to this module in the source tree, or `src/view/assets` from dist. */
function localAssetDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'assets'), join(here, '..', '..', '..', 'src', 'view', 'assets')];
  const found = candidates.find((dir) => existsSync(join(dir, 'view.js')));
  if (!found)
    throw new Error(`argmed/view: the page assets are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Reads every asset into memory.
 * @throws when a file is missing (a broken install), naming the file.
 */
export function loadViewAssets(): Map<string, ViewAsset> {
  const require = createRequire(import.meta.url);
  const dir = localAssetDir();
  const assets = new Map<string, ViewAsset>();
  for (const [name, source] of Object.entries(SOURCES)) {
    const path = source.module ? require.resolve(source.module) : join(dir, source.local!);
    assets.set(name, { contentType: source.contentType, body: readFileSync(path) });
  }
  return assets;
}
