/**
 * Clinicians' ratings of an evaluation's items (registered by the evaluation routes, sharing their store):
 *   GET  /v1/evaluations/:id/rate            the rating page: one item at a time, blind to the method
 *   POST /v1/evaluations/:id/rate            a rating from the page's form; answers 303 to the next item
 *   POST /v1/evaluations/:id/rate-links      a rater's signed link to the rating page (for a browser without a key)
 *   GET  /v1/evaluations/:id/ratings         every rating: `?format=json` (default, with the agreement), `csv` or `jsonl`
 *   POST /v1/evaluations/:id/ratings         imports ratings gathered elsewhere (text/csv); all rows or none
 * The rater is, in this order: the rater named by a signed rating link (`?rater=&exp=&sig=`,
 * src/view/view-link.ts; `name:<rater>`), the API key that sent the request (`key:<hash prefix>`), or, when no
 * keys are configured, the name the rater gives (`name:<name>`). A browser cannot send a bearer header with a
 * plain form, so behind API keys a key holder asks for a link per rater and sends it to them. Rating a unit
 * again replaces that rater's rating.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Case, cleanString } from '../../../agents/case.js';
import type { Config } from '../../config.js';
import { RATING_DIMENSIONS } from '../../eval/ratings/rating-dimensions.js';
import { ratingUnits } from '../../eval/ratings/rating-units.js';
import { parseRatingsCsv, ratingsCsv, ratingsJsonl } from '../../eval/ratings/ratings-files.js';
import { renderRatePage, renderRaterPrompt } from '../../eval/ratings/render-rate-page.js';
import { summariseRatings } from '../../eval/ratings/summarise-ratings.js';
import { listItemResults } from '../../store/eval-items.repository.js';
import { listRatings, upsertRating } from '../../store/eval-ratings.repository.js';
import { findRun } from '../../store/eval-runs.repository.js';
import { RunSpecSchema } from '../../eval/types.js';
import type { Store } from '../../store/open-store.js';
import { issuesText } from '../../../schemes/field-issues.js';
import { ApiError, fieldError } from '../../http/problem.js';
import { createViewLinks, type ViewLinks } from '../../view/view-link.js';
import { apiKeyId } from '../auth.js';
import { type RefusedCheck, refuseLink } from '../refused-link.js';

export interface RatingRoutesOptions {
  config: Config;
  storeOf: () => Promise<Store>;
  /** The server's signed links (default: made from `config.viewLinks`). */
  viewLinks?: ViewLinks;
}

const IdParams = z.object({ id: z.string().regex(/^ev-[0-9a-f]{16}$/, 'an evaluation id such as ev-0123456789abcdef') });
const RaterName = cleanString().trim().min(1).max(100);
const Score = z.coerce.number().int().min(1).max(5);

/** A signed rating link's part of the query. */
const LinkQuery = {
  exp: z.string().max(20).optional().describe('Expiry of a signed rating link (seconds since the epoch)'),
  sig: z.string().max(100).optional().describe('Signature of a signed rating link'),
};

const REFUSED: Record<RefusedCheck, string> = {
  expired: 'This rating link has expired. Ask whoever sent it for a new one.',
  forged: 'This rating link is not valid: it was changed, or belongs to another evaluation, rater or server. Ask whoever sent it for a new one.',
};

const RateForm = z
  .object({
    unit: z.string().regex(/^[0-9a-f]{16}$/, 'the unit token of the page'),
    n: z.coerce.number().int().min(0),
    rater: RaterName.optional(),
    correctness: Score,
    completeness: Score,
    clarity: Score,
    trust: Score,
    comment: cleanString().max(4000).optional(),
  })
  .strict();

/** The rating routes (register under `/v1`, inside the evaluation routes). */
export const evaluationRatingRoutes: FastifyPluginAsyncZod<RatingRoutesOptions> = async function evaluationRatingRoutes(app, options) {
  const { config, storeOf } = options;
  // Forms and CSV bodies, in this plugin's scope only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const cases = new Map<string, Promise<Map<string, Case>>>();

  async function runOf(id: string) {
    const store = await storeOf();
    const run = await findRun(store.db, id);
    if (!run) throw new ApiError('ARGMED_NOT_FOUND', `There is no evaluation run ${id}.`);
    return { store, spec: RunSpecSchema.parse(JSON.parse(run.spec)) };
  }

  /** The cases of a run's items, read once from its dataset (empty when the file cannot be read now). */
  function casesOf(id: string, spec: z.infer<typeof RunSpecSchema>): Promise<Map<string, Case>> {
    let loaded = cases.get(id);
    if (!loaded) {
      loaded = import('../../eval/datasets/load-dataset.js')
        .then(({ loadDataset }) => loadDataset(spec.dataset, spec.file, spec.slice))
        .then((d) => new Map(d.items.map((i) => [i.key, i.case])))
        .catch(() => new Map<string, Case>());
      cases.set(id, loaded);
    }
    return loaded;
  }

  const links = options.viewLinks ?? createViewLinks(config.viewLinks);

  interface Rater {
    rater?: string;
    fromKey: boolean;
    /** The signed link's query (`rater=&exp=&sig=`) that every page and form of this rater carries on. */
    link?: string;
  }

  /**
   * Who rates: the signed link's rater (checked here: the auth hook leaves a route marked `signedViewLink`
   * with a `sig` to it), else the API key, else the name given; or why the link is refused.
   */
  function raterOf(
    request: Parameters<typeof apiKeyId>[0] & { params: { id: string } },
    query: { rater?: string; exp?: string; sig?: string },
    name: string | undefined,
  ): Rater | { refused: RefusedCheck } {
    if (query.sig !== undefined) {
      const rater = query.rater ?? '';
      const check = links.checkRate(request.params.id, rater, query.exp, query.sig);
      if (check !== 'valid') return { refused: check };
      return { rater: `name:${rater}`, fromKey: false, link: new URLSearchParams({ rater, exp: query.exp ?? '', sig: query.sig }).toString() };
    }
    const key = apiKeyId(request);
    if (key) return { rater: key, fromKey: true };
    return { rater: name ? `name:${name}` : undefined, fromKey: false };
  }

  /** The run's item results; the report code that reads them is imported on the first rating request. */
  async function itemsOf(store: Store, id: string) {
    const { itemFromRow } = await import('../../eval/reports/build-report.js');
    return (await listItemResults(store.db, id)).map(itemFromRow);
  }

  async function pageFor(id: string, who: Rater & { rater: string }, index: number, saved: boolean) {
    const { rater, fromKey } = who;
    const { store, spec } = await runOf(id);
    const items = await itemsOf(store, id);
    const units = ratingUnits(items, rater);
    const at = Math.min(index, Math.max(0, units.length - 1));
    const all = await listRatings(store.db, id);
    const kase = units[at] ? (await casesOf(id, spec)).get(units[at].item.itemKey) : undefined;
    return renderRatePage({
      runId: id,
      rater: fromKey ? rater : rater.replace(/^name:/, ''),
      raterFromKey: fromKey,
      units,
      index: at,
      kase,
      mine: all.filter((r) => r.rater === rater),
      summary: summariseRatings(all),
      saved,
      viewBase: config.publicUrl ?? '',
      link: who.link,
      // A rater on a signed link has no key for the graph page either: its links are signed too.
      caseView: who.link ? (caseId) => links.path(caseId) : undefined,
    });
  }


  app.get(
    '/evaluations/:id/rate',
    {
      config: { signedViewLink: true },
      schema: {
        tags: ['evaluations'],
        summary: 'The rating page: one item of the run at a time, blind to the method',
        params: IdParams,
        querystring: z
          .object({ rater: RaterName.optional(), n: z.coerce.number().int().min(0).default(0), saved: z.literal('1').optional(), ...LinkQuery })
          .strict(),
      },
    },
    async (request, reply) => {
      const who = raterOf(request, request.query, request.query.rater);
      if ('refused' in who) return refuseLink(request, reply, who.refused, REFUSED);
      await runOf(request.params.id);
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!who.rater) return renderRaterPrompt(request.params.id);
      return pageFor(request.params.id, { ...who, rater: who.rater }, request.query.n, request.query.saved === '1');
    },
  );

  app.post(
    '/evaluations/:id/rate-links',
    {
      schema: {
        tags: ['evaluations'],
        summary: "A rater's signed link to the rating page, for a browser without an API key",
        params: IdParams,
        body: z.object({ rater: RaterName.describe('the rater\'s name, as ratings and the export will show it (name:<rater>)') }).strict(),
      },
    },
    async (request, reply) => {
      await runOf(request.params.id);
      const { path, expiresAt } = links.ratePath(request.params.id, request.body.rater);
      return reply.code(201).send({ rater: `name:${request.body.rater}`, url: `${config.publicUrl ?? ''}${path}`, expiresAt: expiresAt.toISOString() });
    },
  );

  app.post(
    '/evaluations/:id/rate',
    {
      config: { signedViewLink: true },
      schema: {
        tags: ['evaluations'],
        summary: "Stores a rating from the rating page's form, then shows the next item",
        params: IdParams,
        querystring: z.object({ rater: RaterName.optional(), ...LinkQuery }).strict(),
        body: RateForm,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const who = raterOf(request, request.query, body.rater);
      if ('refused' in who) return refuseLink(request, reply, who.refused, REFUSED);
      const { rater, fromKey } = who;
      if (!rater) throw fieldError('ARGMED_VALIDATION', 'body/rater', 'give your name');
      const { store } = await runOf(request.params.id);
      const items = await itemsOf(store, request.params.id);
      const unit = ratingUnits(items, rater).find((u) => u.token === body.unit);
      if (!unit) throw fieldError('ARGMED_VALIDATION', 'body/unit', 'no such item in this run');
      await upsertRating(store.db, {
        run_id: request.params.id,
        item_key: unit.item.itemKey,
        method: unit.item.method,
        rater,
        correctness: body.correctness,
        completeness: body.completeness,
        clarity: body.clarity,
        trust: body.trust,
        comment: body.comment?.trim() ? body.comment.trim() : null,
        source: 'page',
        rated_at: new Date().toISOString(),
      });
      const carried = who.link ? `${who.link}&` : fromKey ? '' : `rater=${encodeURIComponent(rater.replace(/^name:/, ''))}&`;
      const next = `rate?${carried}n=${body.n + 1}&saved=1`;
      return reply.code(303).header('location', next).send();
    },
  );

  app.get(
    '/evaluations/:id/ratings',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Every rating of the run with the agreement (JSON), or as CSV or JSONL',
        params: IdParams,
        querystring: z.object({ format: z.enum(['json', 'csv', 'jsonl']).default('json') }).strict(),
      },
    },
    async (request, reply) => {
      const { store } = await runOf(request.params.id);
      const rows = await listRatings(store.db, request.params.id);
      if (request.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(ratingsCsv(rows));
      if (request.query.format === 'jsonl') return reply.type('application/x-ndjson; charset=utf-8').send(ratingsJsonl(rows));
      return { ratings: JSON.parse(`[${ratingsJsonl(rows).trim().split('\n').filter(Boolean).join(',')}]`), summary: summariseRatings(rows) ?? null };
    },
  );

  app.post(
    '/evaluations/:id/ratings',
    {
      schema: {
        tags: ['evaluations'],
        summary: 'Imports ratings gathered elsewhere (text/csv: item, method, rater, correctness, completeness, clarity, trust, comment)',
        params: IdParams,
        body: z.string().max(10_000_000),
      },
    },
    async (request) => {
      const { store } = await runOf(request.params.id);
      const { rows, problems } = parseRatingsCsv(request.body, request.params.id);
      if (problems.length > 0) {
        const errors = problems.slice(0, 50).map((p) => ({ path: `body/line ${p.line}/${p.column}`, message: p.message }));
        throw new ApiError('ARGMED_VALIDATION', `${issuesText(errors.slice(0, 1))} (nothing was imported)`, { errors });
      }
      // One transaction: a row the store refuses leaves none of the others stored (all rows or none).
      await store.db.transaction().execute(async (trx) => {
        for (const row of rows) await upsertRating(trx, { ...row, rater: row.rater.includes(':') ? row.rater : `name:${row.rater}` });
      });
      return { imported: rows.length, dimensions: RATING_DIMENSIONS };
    },
  );
};
