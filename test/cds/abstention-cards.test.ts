/**
 * Cards for the typed abstentions, through the real service listening on a port (store, migrations, case
 * service, the app with both plugins) and called over HTTP as an EHR calls it:
 *  - `insufficient-knowledge`: a provisional diagnosis of pregnancy is a suspicion the knowledge back-end cannot
 *    rule in or out, so the draft doxycycline order (a tetracycline) is neither cleared nor refuted: a warning
 *    card that lists what to confirm, and no suggestion to sign anything;
 *  - `incomplete`: the `openai` back-end against the local mock model whose verifier calls all fail: no argument
 *    is verified, so nothing is recommended, and the card says the argument is incomplete and what to redo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import { type RealService, startRealService } from '../api/support/real-service.js';
import {
  type MockChatRequest,
  type MockOpenAI,
  requestedSchema,
  roleOf,
  sampleFromSchema,
  startMockOpenAI,
} from '../support/mock-openai-server.js';
import { fixture, type Json } from './helpers.js';

const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** The order-sign fixture with a doxycycline draft order for a woman of 30 whose pregnancy is provisional. */
function doxycyclineWithSuspectedPregnancy(): Json {
  const request = fixture<Json>('order-sign');
  const order = request.context.draftOrders.entry[0].resource;
  order.id = 'draft-doxy-1';
  order.medicationCodeableConcept = {
    coding: [{ system: RXNORM, code: '3640', display: 'Doxycycline' }],
    text: 'Doxycycline 100 mg capsule',
  };
  request.context.draftOrders.entry = [request.context.draftOrders.entry[0]];
  request.prefetch.patient.birthDate = '1996-05-02';
  request.prefetch.conditions.entry.push({
    resource: {
      resourceType: 'Condition',
      id: 'cond-pregnancy-query',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional' },
        ],
      },
      code: { coding: [{ system: SNOMED, code: '77386006', display: 'Pregnancy' }], text: 'Pregnancy' },
      subject: { reference: 'Patient/pt-4821' },
      recordedDate: '2026-11-24T09:30:00Z',
    },
  });
  return request;
}

async function callHook(base: string, service: string, body: Json): Promise<Json> {
  const response = await fetch(`${base}/cds-services/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

describe('a warning card for insufficient knowledge', () => {
  let service: RealService;
  let base: string;
  beforeAll(async () => {
    service = await startRealService(
      'sqlite',
      { ARGMED_CDS_INSECURE: '1' },
      { app: { cds: { warmUp: false } } },
    );
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => service?.dispose());

  it('lists what to confirm, suggests nothing to sign, and stores the open questions with the case', async () => {
    const { cards } = await callHook(base, 'argmed-order-sign', doxycyclineWithSuspectedPregnancy());
    expect(cards).toHaveLength(1);
    const [card] = cards;
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(
      /^No recommendation for community-acquired pneumonia: open questions remain/,
    );
    expect(card.summary.length).toBeLessThan(140);
    expect(card.detail).toContain('open questions the knowledge could not answer');
    const confirm = card.detail.split('**To confirm before acting.**')[1] ?? '';
    const [, pointer] = /rule out pregnancy \\\(see ([\w-]+)\\\)/.exec(confirm) ?? [];
    expect(pointer).toBeDefined();
    expect(confirm).toMatch(/\*\*doxycycline\*\* would be justified if: rule out pregnancy/);
    // The fact it points at is shown with its source in the EHR.
    expect(card.detail).toContain(`- ${pointer}: Suspected condition: Pregnancy \\(provisional diagnosis`);
    expect(card.detail).toContain('(`Condition/cond-pregnancy-query`)');
    // Nothing to sign instead: an open question is not a reason to replace the order, nor to keep it.
    expect(card.suggestions).toBeUndefined();
    expect(card.overrideReasons?.map((r: Json) => r.code)).toContain('need-more-info');

    const caseId = decodeURIComponent(/\/v1\/cases\/([^/]+)\/view/.exec(card.links[0].url)![1]);
    const stored = (await (await fetch(`${base}/v1/cases/${caseId}`)).json()) as Json;
    expect(stored.status).toBe('insufficient-knowledge');
    const { openQuestions, pending } = stored.result;
    expect(openQuestions.length).toBeGreaterThan(0);
    expect(openQuestions.every((q: Json) => q.cause === 'unknown' || q.cause === 'no-counter')).toBe(true);
    expect(pending.find((p: Json) => p.option === 'doxycycline').justifiedIf.join(' ')).toMatch(
      /rule out pregnancy/,
    );
    // The suspicion is stated as such in the case, without the pregnancy code that would assert it.
    const suspected = stored.input.facts.find((f: Json) => /^Suspected condition: Pregnancy/.test(f.text));
    expect(suspected.codes).toEqual([]);
  });

  it('the same order for a confirmed pregnancy is a critical card, not an open question', async () => {
    const request = doxycyclineWithSuspectedPregnancy();
    const pregnancy = request.prefetch.conditions.entry.at(-1).resource;
    pregnancy.verificationStatus.coding[0].code = 'confirmed';
    const { cards } = await callHook(base, 'argmed-order-sign', request);
    expect(cards[0].indicator).toBe('critical');
    expect(cards[0].summary).toMatch(/^Do not sign Doxycycline 100 mg capsule: conflicts with/);
  });
});

/** The mock model: proposes an argument for each option, and fails every verifier call with HTTP 500. */
function proposeThenFail(request: MockChatRequest) {
  if (roleOf(request) !== 'generator-propose') return { status: 500 };
  const schema = requestedSchema(request);
  return { json: sampleFromSchema(schema, { text: (path) => `${path.join(' ')} (proposed by the mock)` }) };
}

describe('a warning card for an incomplete argument', () => {
  let mock: MockOpenAI;
  let service: RealService;
  let base: string;
  beforeAll(async () => {
    mock = await startMockOpenAI({ respond: proposeThenFail });
    const env = {
      ARGMED_CDS_INSECURE: '1',
      ARGMED_LLM_BASE_URL: mock.url,
      ARGMED_LLM_MODEL: 'mock-7b',
      ARGMED_LLM_MAX_RETRIES: '0',
    };
    const { backend } = await createBackend(loadConfig(env), { backend: 'openai' });
    service = await startRealService('sqlite', env, {
      app: { cds: { backend, warmUp: false, timeBudgetMs: 20_000 } },
    });
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await service?.dispose();
    await mock?.close();
  });

  it('says the argument is incomplete, names what could not be verified, and recommends nothing', async () => {
    const { cards } = await callHook(base, 'argmed-order-sign', fixture('order-sign'));
    expect(cards).toHaveLength(1);
    const [card] = cards;
    expect(card.indicator).toBe('warning');
    expect(card.summary).toMatch(
      /: the argument is incomplete \(\d+ points? not verified\); ask again or review$/,
    );
    expect(card.detail).toContain('some arguments could not be verified');
    // Each unverified argument by its words and why, then what would make each option justified.
    const unverified = card.detail.split('**Not verified**')[1]?.split('**To confirm before acting.**') ?? [];
    expect(unverified[0]).toMatch(/^- .*proposed by the mock\\\): .*the endpoint answered HTTP 500$/m);
    expect(unverified[1]).toMatch(/\*\*doxycycline\*\* would be justified if: verify a\d \\\("/);
    expect(card.suggestions).toBeUndefined();
    expect(mock.requests.some((r) => roleOf(r) === 'verifier')).toBe(true);

    const caseId = decodeURIComponent(/\/v1\/cases\/([^/]+)\/view/.exec(card.links[0].url)![1]);
    const stored = (await (await fetch(`${base}/v1/cases/${caseId}`)).json()) as Json;
    expect(stored.status).toBe('incomplete');
    expect(stored.result.openQuestions.every((q: Json) => q.cause === 'not-verified')).toBe(true);
    expect(stored.result.failures.length).toBeGreaterThan(0);
  });
});
