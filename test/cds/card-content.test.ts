/**
 * What reaches the clinician's screen: FHIR text cannot inject Markdown or HTML into a card, long names
 * keep the summary under 140 characters, and a service call stays within its time budget even when the
 * back-end is slow.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../agents/types.js';
import { escapeMarkdown, summaryText } from '../../src/cds/markdown.js';
import { buildCdsApp, fixture, knowledgeReasoning, type Json } from './helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildCdsApp();
});
afterAll(async () => {
  await app.close();
});

async function sign(request: Json): Promise<Json> {
  const response = await app.inject({
    method: 'POST',
    url: '/cds-services/argmed-order-sign',
    payload: request,
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('card content', () => {
  it('HTML and Markdown in FHIR text are escaped in the detail', async () => {
    const request = fixture<Json>('order-sign');
    const allergy = request.prefetch.allergies.entry[0].resource;
    allergy.code.text = 'Penicillin <img src=x onerror=alert(1)> [click](https://evil.example)';
    const { cards } = await sign(request);
    expect(cards[0].indicator).toBe('critical');
    expect(cards[0].detail).not.toContain('<img');
    expect(cards[0].detail).not.toContain('](https://evil.example)');
    expect(cards[0].detail).toContain('&lt;img src=x onerror=alert\\(1\\)');
  });

  it('a very long drug name keeps the summary under 140 characters', async () => {
    const request = fixture<Json>('order-sign');
    request.context.draftOrders.entry[0].resource.medicationCodeableConcept.text = `Amoxicillin ${'500 mg '.repeat(40)}capsule`;
    const { cards } = await sign(request);
    expect(cards[0].summary.length).toBeLessThan(140);
    expect(cards[0].summary.endsWith('…')).toBe(true);
  });

  /** The order-sign fixture with a doxycycline draft order for a patient of 30 of the given sex. */
  function doxycyclineOrder(gender: 'female' | 'male'): Json {
    const request = fixture<Json>('order-sign');
    const order = request.context.draftOrders.entry[0].resource;
    order.medicationCodeableConcept = {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '3640', display: 'Doxycycline' }],
      text: 'Doxycycline 100 mg capsule',
    };
    request.context.draftOrders.entry = [request.context.draftOrders.entry[0]];
    request.prefetch.patient.birthDate = '1996-05-02';
    request.prefetch.patient.gender = gender;
    return request;
  }

  it('a decision that takes a contraindication as absent says so on the card', async () => {
    // Doxycycline for a woman of 30 with pneumonia and penicillin allergy: nothing in her record mentions
    // pregnancy, doxycycline's contraindication, so the card asks to confirm it rather than staying silent.
    const { cards } = await sign(doxycyclineOrder('female'));
    expect(cards[0].detail).toContain(
      '**Taken as absent** (no patient data mentions them; confirm before acting): pregnancy.',
    );
    // For a man the record's sex rules pregnancy out: nothing to confirm.
    const male = await sign(doxycyclineOrder('male'));
    expect(male.cards[0].detail).toContain('Decided: **doxycycline**.');
    expect(male.cards[0].detail).not.toContain('Taken as absent');
  });

  it('escapeMarkdown and summaryText', () => {
    expect(escapeMarkdown('*a* _b_ `c` [d](e) <f> & #g')).toBe(
      '\\*a\\* \\_b\\_ \\`c\\` \\[d\\]\\(e\\) &lt;f\\> &amp; \\#g',
    );
    expect(summaryText('short')).toBe('short');
    expect(summaryText('word '.repeat(40)).length).toBeLessThanOrEqual(139);
  });
});

describe('time budget', () => {
  it('a slow back-end cannot hold the EHR past the budget', async () => {
    const { backend } = await knowledgeReasoning();
    const knowledge = backend as Backend;
    // A back-end whose verifier takes 3 s unless the engine aborts it (as a remote model might).
    const slow: Backend = {
      name: 'slow-knowledge',
      generator: knowledge.generator,
      verifier: {
        verify: (request) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve(knowledge.verifier.verify(request)), 3_000);
            request.signal?.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(request.signal?.reason ?? new Error('aborted'));
            });
          }),
      },
    };
    const budgeted = await buildCdsApp({ ARGMED_CDS_INSECURE: '1' }, { backend: slow, timeBudgetMs: 300 });
    const started = performance.now();
    const response = await budgeted.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign',
      payload: fixture('order-sign'),
    });
    const ms = performance.now() - started;
    await budgeted.close();
    expect(response.statusCode).toBe(200);
    // The verifier alone would take 3 s; the answer comes well before.
    expect(ms).toBeLessThan(2_500);
    const { cards } = response.json();
    expect(cards).toHaveLength(1);
    expect(cards[0].indicator).toBe('warning');
    expect(cards[0].detail).toMatch(/stopped at its budget/);
  });
});
