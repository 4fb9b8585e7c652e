/**
 * One service call, end to end: gather the FHIR data (prefetch, or the client's FHIR server), read it into
 * facts, build the questions, argue each with the engine within what is left of the time budget (in
 * parallel), store the cases through the case service when there is one (so the card links to the graph
 * page and feedback reaches the case), and answer the cards.
 */
import type { FastifyBaseLogger } from 'fastify';
import { BACKENDS, type Case } from '../../agents/case.js';
import type { Backend } from '../../agents/types.js';
import type { CaseService } from '../cases/types.js';
import { deliberate } from '../engine/deliberate.js';
import type { SchemeRegistry } from '../../schemes/load.js';
import type { Budgets, DeliberationResult } from '../engine/types.js';
import { applyOverrides, overrideSubject } from './apply-overrides.js';
import { carryOverrides } from './carry-overrides.js';
import { buildCard } from './build-card.js';
import { buildQuestions } from './build-questions.js';
import type { CardRegistry } from './card-registry.js';
import { CdsError } from './cds-error.js';
import { readPatientRecord } from './fhir/patient-record.js';
import { resolvePrefetch } from './resolve-prefetch.js';
import { type CdsService, findService } from './service-catalog.js';
import type { Card, CdsKnowledge, HookRequest, HookResponse } from './types.js';
import type { ViewLinks } from '../view/index.js';

/** The engine always gets at least this long, even when fetching FHIR data ate the budget. */
export const MIN_DEADLINE_MS = 50;
/** Kept back from the budget for building and sending the cards. */
export const RESERVE_MS = 25;

export interface HookDeps {
  backend: Backend;
  knowledge: CdsKnowledge;
  schemes?: SchemeRegistry;
  caseService?: CaseService;
  budgets: Partial<Budgets>;
  timeBudgetMs: number;
  fhirTimeoutMs: number;
  /** Whether a fhirServer on a loopback address may be called (`ARGMED_CDS_FHIR_LOOPBACK`). */
  fhirLoopback: boolean;
  maxOrders: number;
  now: () => number;
  registry: CardRegistry;
  /** Signs the card's link to the case's graph page, so a clinician's browser opens it without an API key. */
  viewLinks: ViewLinks;
  log: FastifyBaseLogger;
}

/**
 * Finds the service and checks that the request is for its hook.
 * @throws CdsError 404 for an unknown service id, 400 when the hook differs.
 */
export function serviceFor(serviceId: string, hook: string): CdsService {
  const service = findService(serviceId);
  if (!service)
    throw new CdsError(
      'ARGMED_CDS_UNKNOWN_SERVICE',
      `There is no CDS service "${serviceId}"; see GET /cds-services.`,
    );
  if (service.hook !== hook) {
    throw new CdsError(
      'ARGMED_CDS_WRONG_HOOK',
      `Service "${serviceId}" answers the ${service.hook} hook, not ${hook}.`,
      'hook',
    );
  }
  return service;
}

/**
 * Answers a validated hook request.
 * @param deps the back-end, knowledge, stores and limits.
 * @param service the service called.
 * @param request the validated request.
 * @param baseUrl the public base URL (for links to case pages and docs).
 * @throws CdsError for missing data (412) or invalid FHIR (400).
 */
export async function answerHook(
  deps: HookDeps,
  service: CdsService,
  request: HookRequest,
  baseUrl: string,
): Promise<HookResponse> {
  const started = deps.now();
  const { data } = await resolvePrefetch(request, {
    timeoutMs: deps.fhirTimeoutMs,
    allowLoopback: deps.fhirLoopback,
  });
  const record = readPatientRecord(request, data, deps.knowledge, started);
  const questions = buildQuestions(request, record, deps.knowledge, deps.maxOrders);
  if (questions.length === 0) return { cards: [] };

  const deadlineMs = Math.max(MIN_DEADLINE_MS, deps.timeBudgetMs - (deps.now() - started) - RESERVE_MS);
  const stored = questions.map((question, index) =>
    storeCase(deps, question.kase, `${request.hookInstance}:${index}`),
  );
  const results = await Promise.all(
    questions.map((question) =>
      deliberate(question.kase, {
        backend: deps.backend,
        budgets: { ...deps.budgets, deadlineMs },
        ...(deps.schemes ? { schemes: deps.schemes } : {}),
      }).catch((): DeliberationResult | undefined => undefined),
    ),
  );
  const caseIds = await Promise.all(stored);
  const subjects = questions.map((question) => overrideSubject(request.context.patientId, question));
  const caseService = deps.caseService;
  if (caseService) {
    // Earlier overrides of cards about the same patient and order argue back in this call too: in the
    // card's result now, and in the stored case the card links to once its own deliberation ends.
    await Promise.all(
      questions.map(async (question, index) => {
        const result = results[index];
        const subject = subjects[index];
        if (!result || !subject) return;
        const overrides = await caseService.subjectOverrides(subject).catch(() => []);
        if (overrides.length === 0) return;
        const revised = await applyOverrides(result, question.kase, overrides, {
          backend: deps.backend,
          ...(deps.schemes ? { schemes: deps.schemes } : {}),
          deadlineMs: Math.max(MIN_DEADLINE_MS, deps.timeBudgetMs - (deps.now() - started) - RESERVE_MS),
        }).catch(() => result);
        results[index] = revised;
        const caseId = caseIds[index];
        if (caseId && revised !== result) {
          carryOverrides(caseService, caseId, subject, overrides).catch((error: unknown) =>
            deps.log.warn({ errorCode: (error as { code?: string }).code }, 'cds overrides not carried to the stored case'),
          );
        }
      }),
    );
  }

  const cards: Card[] = [];
  const remembered: Promise<void>[] = [];
  questions.forEach((question, index) => {
    const result = results[index];
    if (!result) return;
    const caseId = caseIds[index];
    const card = buildCard({
      question,
      result,
      request,
      knowledge: deps.knowledge,
      caseUrl: caseId ? `${baseUrl}${deps.viewLinks.path(caseId)}` : undefined,
      docsUrl: `${baseUrl}/docs`,
      unavailable: record.unavailable,
    });
    if (!card) return;
    if (caseId && card.uuid) {
      remembered.push(
        deps.registry.remember(card.uuid, {
          caseId,
          serviceId: service.id,
          ...(subjects[index] ? { subject: subjects[index] } : {}),
          ...(result.decision ? { option: result.decision.option } : {}),
          user: request.context.userId,
        }),
      );
    }
    cards.push(card);
  });
  await Promise.all(remembered);
  deps.log.info(
    {
      service: service.id,
      questions: questions.length,
      cards: cards.length,
      statuses: results.map((r) => r?.status ?? 'error'),
      ms: deps.now() - started,
    },
    'cds hook answered',
  );
  return { cards };
}

/** Stores a case; resolves to its id, or undefined without a case service or when storing fails. */
async function storeCase(deps: HookDeps, kase: Case, key: string): Promise<string | undefined> {
  if (!deps.caseService) return undefined;
  try {
    // The stored case is argued again by the case service: with the same back-end, so it reaches the card's outcome.
    const backend = BACKENDS.find((name) => name === deps.backend.name);
    const input = { ...kase, settings: { ...kase.settings, backend } };
    const { record } = await deps.caseService.submit(input, { idempotencyKey: `cds:${key}` });
    return record.id;
  } catch (error) {
    deps.log.warn({ errorCode: (error as { code?: string }).code }, 'cds case could not be stored');
    return undefined;
  }
}
