/**
 * Evaluation runs over HTTP, a self-contained plugin (it opens its own connection to the store):
 *   POST /v1/evaluations              starts a run (202, its id); the same body again returns the same run
 *   GET  /v1/evaluations/:id          progress: done, failed, accuracy so far, tokens, per method
 *   GET  /v1/evaluations/:id/report   the report: JSON (default), `?format=html` or `?format=csv`
 * Runs execute in this process, or on `argmed worker` processes when REDIS_URL is set. Dataset files are
 * read only from the datasets folder (`ARGMED_DATASETS_DIR`), by name, never from an arbitrary path, and
 * errors never show a server path. The evaluation code itself (datasets, methods, metrics, reports: about 60
 * modules, 70 ms of CPU) is imported by the handlers on the first request, not at every start of the service.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BACKENDS } from '../../../agents/case.js';
import { type Config, llmConfigProblem } from '../../config.js';
import { EvaluationError } from '../../eval/errors.js';
import type { PreparedRun } from '../../eval/run/prepare-run.js';
import { setRunStatus } from '../../store/eval-runs.repository.js';
import { DATASETS, localModelName, METHODS, RunSpecSchema } from '../../eval/types.js';
import type { Store } from '../../store/open-store.js';
import { ApiError, fieldError } from '../../http/problem.js';
import type { ViewLinks } from '../../view/view-link.js';
import { evaluationRatingRoutes } from './evaluation-ratings.js';

export interface EvaluationRoutesOptions {
  config: Config;
  /** The folder dataset files are read from, by name (default `config.datasetsDir`). */
  datasetsDir?: string;
  /** Items in flight per run (default 8). */
  concurrency?: number;
  /** An open store to use instead of opening one from `config` (tests). */
  store?: Store;
  /** The server's signed links (rating links); default: made from `config.viewLinks`. */
  viewLinks?: ViewLinks;
}

const CreateBodySchema = z
  .object({
    dataset: z.enum(DATASETS),
    file: z
      .string()
      .min(1)
      .max(512)
      .describe(
        'Name of a dataset file in the server\'s datasets folder (ARGMED_DATASETS_DIR), e.g. "medqa/test.jsonl"',
      ),
    methods: z.array(z.enum(METHODS)).min(1).max(4).default(['argmed', 'direct', 'cot']),
    backend: z.enum(BACKENDS).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
    offset: z.number().int().min(0).optional(),
    sample: z.number().int().min(1).max(100_000).optional(),
    seed: z.number().int().min(0).optional(),
    predictability: z.boolean().optional(),
    faithfulness: z
      .object({ repeats: z.number().int().min(0).max(10), facts: z.number().int().min(0).max(20) })
      .strict()
      .optional()
      .describe('argmed faithfulness probes: repeat runs and deleted cited/uncited facts'),
    selfConsistency: z
      .object({ k: z.number().int().min(1).max(40), temperature: z.number().min(0).max(2) })
      .optional(),
  })
  .strict();

const ProgressSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number().nullable(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  perMethod: z.record(z.string(), z.object({ done: z.number(), failed: z.number(), correct: z.number() })),
  links: z.object({ self: z.string(), report: z.string() }),
});

const IdParams = z.object({
  id: z.string().regex(/^ev-[0-9a-f]{16}$/, 'an evaluation id such as ev-0123456789abcdef'),
});

/**
 * The real path of the dataset file `name` in the datasets folder. Only names are accepted: no absolute path,
 * no `..`, no hidden or empty segment; a symbolic link that leads out of the folder is refused too. Errors
 * name the file as given, never a server path.
 */
async function datasetPath(name: string, folder: string): Promise<string> {
  const segments = name.split('/');
  if (
    isAbsolute(name) ||
    name.includes('\\') ||
    segments.some((segment) => segment === '' || segment === '..' || segment.startsWith('.'))
  ) {
    throw fieldError(
      'ARGMED_VALIDATION',
      'body/file',
      'must be the name of a file in the datasets folder, such as "medqa/test.jsonl" (no absolute path, "..", or hidden names)',
    );
  }
  const missing = () =>
    fieldError(
      'ARGMED_VALIDATION',
      'body/file',
      `no dataset file named ${JSON.stringify(name)} in the datasets folder`,
    );
  const root = await realpath(folder).catch(() => {
    throw missing();
  });
  const path = await realpath(resolve(root, name)).catch(() => {
    throw missing();
  });
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw missing();
  return path;
}

/** The evaluation routes (register under `/v1`). */
export const evaluationRoutes: FastifyPluginAsyncZod<EvaluationRoutesOptions> =
  async function evaluationRoutes(app, options) {
    const { config } = options;
    const datasetsDir = options.datasetsDir ?? config.datasetsDir;
    const concurrency = options.concurrency ?? 8;
    // Opened on the first evaluation request, not at start: a service that never evaluates opens nothing more.
    let opened: Promise<Store> | undefined = options.store && Promise.resolve(options.store);
    const storeOf = () => {
      opened ??= import('../../eval/run/open-eval-store.js').then(({ openEvalStore }) => openEvalStore(config));
      return opened;
    };
    await app.register(evaluationRatingRoutes, { config, storeOf, viewLinks: options.viewLinks });
    const running = new Map<string, Promise<unknown>>();
    app.addHook('onClose', async () => {
      await Promise.allSettled(running.values());
      if (!options.store && opened) await (await opened).close();
    });

    async function progressOf(id: string) {
      const store = await storeOf();
      const { readProgress } = await import('../../eval/run/read-progress.js');
      const p = await readProgress(store.db, id);
      const finished = p.done + p.failed;
      return {
        id,
        status: p.status,
        total: p.total,
        done: p.done,
        failed: p.failed,
        correct: p.correct,
        accuracy: finished === 0 ? null : p.correct / finished,
        tokensIn: p.tokensIn,
        tokensOut: p.tokensOut,
        perMethod: p.perMethod,
        links: { self: `/v1/evaluations/${id}`, report: `/v1/evaluations/${id}/report` },
      };
    }

    app.post(
      '/evaluations',
      {
        schema: {
          tags: ['evaluations'],
          summary: 'Start an evaluation run over a dataset (resumes the run of an identical body)',
          body: CreateBodySchema,
          response: { 202: ProgressSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const file = await datasetPath(body.file, datasetsDir);
        const spec = RunSpecSchema.parse({
          dataset: body.dataset,
          file,
          slice: { offset: body.offset ?? 0, limit: body.limit, sample: body.sample, seed: body.seed ?? 42 },
          methods: body.methods,
          backend: body.backend ?? config.backend,
          model: config.llm.model,
          localModel: localModelName(config, body.backend ?? config.backend),
          selfConsistency: body.selfConsistency ?? { k: 5, temperature: 0.7 },
          predictability: body.predictability ?? false,
          faithfulness: body.faithfulness,
        });
        if (spec.backend === 'local' && spec.localModel === undefined) {
          throw fieldError('ARGMED_VALIDATION', 'body/backend', 'the server has no local model (ARGMED_LOCAL_MODEL is not set)');
        }
        const { needsModel } = await import('../../eval/run/create-method-context.js');
        if (needsModel(spec) && llmConfigProblem(config.llm)) {
          throw fieldError(
            'ARGMED_VALIDATION',
            'body/methods',
            'these methods need a model endpoint, and the server has none configured',
          );
        }
        const store = await storeOf();
        const { prepareRun } = await import('../../eval/run/prepare-run.js');
        let run: PreparedRun;
        try {
          run = await prepareRun(store.db, spec);
        } catch (error) {
          // The file's own problems (not found, not a file, unreadable) without the server's path in them.
          if (error instanceof EvaluationError && error.status === 400)
            throw fieldError(
              'ARGMED_VALIDATION',
              'body/file',
              error.message.split(file).join(JSON.stringify(body.file)),
            );
          throw error;
        }
        if (run.total === 0) {
          // Nothing readable: the run fails at once with the reason instead of ending `done` with 0 items.
          await setRunStatus(store.db, run.runId, 'failed');
          const first = run.problems[0];
          throw fieldError(
            'ARGMED_VALIDATION',
            'body/file',
            `no readable items in ${JSON.stringify(body.file)}${first ? ` (line ${first.line}: ${first.message})` : ''}; run ${run.runId} failed`,
          );
        }
        if (!running.has(run.runId)) {
          const { runOrEnqueue } = await import('../../eval/run/run-or-enqueue.js');
          const task = runOrEnqueue(config, store.db, run, { concurrency, redisUrl: config.redisUrl })
            .catch(async (error: unknown) => {
              request.log.error(
                { code: (error as { code?: string }).code, run: run.runId },
                'evaluation run failed',
              );
              await setRunStatus(store.db, run.runId, 'failed').catch(() => {});
            })
            .finally(() => running.delete(run.runId));
          running.set(run.runId, task);
        }
        reply.code(202).header('location', `/v1/evaluations/${run.runId}`);
        return progressOf(run.runId);
      },
    );

    app.get(
      '/evaluations/:id',
      {
        schema: {
          tags: ['evaluations'],
          summary: 'Progress of an evaluation run',
          params: IdParams,
          response: { 200: ProgressSchema },
        },
      },
      async (request) => {
        const progress = await progressOf(request.params.id);
        if (progress.total === 0 && progress.done === 0 && !(await exists(request.params.id))) {
          throw new ApiError('ARGMED_NOT_FOUND', `There is no evaluation run ${request.params.id}.`);
        }
        return progress;
      },
    );

    async function exists(id: string): Promise<boolean> {
      const store = await storeOf();
      return (
        (await store.db.selectFrom('eval_runs').select('id').where('id', '=', id).executeTakeFirst()) !==
        undefined
      );
    }

    app.get(
      '/evaluations/:id/report',
      {
        schema: {
          tags: ['evaluations'],
          summary: 'The report of an evaluation run: JSON, HTML page or CSV of items',
          params: IdParams,
          querystring: z.object({ format: z.enum(['json', 'html', 'csv']).default('json') }).strict(),
        },
      },
      async (request, reply) => {
        if (!(await exists(request.params.id))) {
          throw new ApiError('ARGMED_NOT_FOUND', `There is no evaluation run ${request.params.id}.`);
        }
        const { buildReport } = await import('../../eval/reports/build-report.js');
        const report = await buildReport((await storeOf()).db, request.params.id);
        if (request.query.format === 'html') {
          const { reportHtml } = await import('../../eval/reports/report-html.js');
          return reply.type('text/html; charset=utf-8').send(reportHtml(report, config.publicUrl ?? ''));
        }
        if (request.query.format === 'csv') {
          const { reportCsv } = await import('../../eval/reports/report-csv.js');
          return reply.type('text/csv; charset=utf-8').send(reportCsv(report));
        }
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(report));
      },
    );
  };
