/**
 * `GET /assets/:file`: the scripts and stylesheet of the graph page (cytoscape, cytoscape-dagre, the page's
 * own script and styles), served from node_modules and src/view. Public (library code, no case data).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadViewAssets, VIEW_ASSET_NAMES } from '../../view/index.js';

/** The static assets of the view page. */
export const viewAssetRoutes: FastifyPluginAsyncZod = async function viewAssetRoutes(app) {
  const assets = loadViewAssets();
  app.get(
    '/assets/:file',
    {
      schema: {
        tags: ['view'],
        summary: 'A script or stylesheet of the graph page',
        params: z.object({ file: z.enum(VIEW_ASSET_NAMES) }),
      },
    },
    async (request, reply) => {
      const asset = assets.get(request.params.file)!;
      return reply.type(asset.contentType).header('cache-control', 'public, max-age=3600').send(asset.body);
    },
  );
};
