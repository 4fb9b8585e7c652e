/**
 * The CDS services end to end on their own fastify instance: the real engine with the knowledge back-end
 * over the example knowledge base, the realistic FHIR R4 fixtures of each hook, and the error answers.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookResponseSchema } from '../../src/cds/types.js';
import { buildCdsApp, fixture, type Json } from './helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildCdsApp();
});
afterAll(async () => {
  await app.close();
});

async function call(service: string, body: unknown) {
  const response = await app.inject({
    method: 'POST',
    url: `/cds-services/${service}`,
    payload: body as Json,
  });
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    body: response.json() as Json,
  };
}

/** Removes the resources of a prefetch searchset whose id is listed. */
/** The request with entries of one prefetch Bundle removed, its `total` kept consistent (else: a partial list). */
function without(request: Json, key: string, ...ids: string[]): Json {
  const bundle = request.prefetch[key];
  bundle.entry = bundle.entry.filter((e: Json) => !ids.includes(e.resource.id));
  if (typeof bundle.total === 'number') bundle.total = bundle.entry.length;
  return request;
}

describe('discovery', () => {
  it('lists the three services with the prefetch templates, usage requirements and time budget', async () => {
    const response = await app.inject({ method: 'GET', url: '/cds-services' });
    expect(response.statusCode).toBe(200);
    const { services } = response.json() as { services: Json[] };
    expect(services.map((s) => s.hook).sort()).toEqual(['order-select', 'order-sign', 'patient-view']);
    for (const service of services) {
      expect(service.prefetch).toEqual({
        patient: 'Patient/{{context.patientId}}',
        conditions: 'Condition?patient={{context.patientId}}',
        medications: 'MedicationRequest?patient={{context.patientId}}',
        labs: 'Observation?patient={{context.patientId}}&category=laboratory',
        allergies: 'AllergyIntolerance?patient={{context.patientId}}',
      });
      expect(service.description.length).toBeGreaterThan(20);
      expect(service.usageRequirements).toMatch(/412/);
      expect(service.extension['org.argmed.timeBudgetMs']).toBe(450);
    }
  });
});

describe('order-sign', () => {
  it('penicillin allergy defeats the amoxicillin order: critical card suggesting the switch to doxycycline', async () => {
    const { status, body } = await call('argmed-order-sign', fixture('order-sign'));
    expect(status).toBe(200);
    expect(HookResponseSchema.safeParse(body).success).toBe(true);
    // Paracetamol is not in the knowledge base: it gets no card rather than a guess.
    expect(body.cards).toHaveLength(1);
    const card = body.cards[0];
    expect(card.indicator).toBe('critical');
    expect(card.summary.length).toBeLessThan(140);
    expect(card.summary).toMatch(/Amoxicillin/);
    expect(card.summary).toMatch(/penicillin allergy/);
    expect(card.detail).toContain('Decided: **doxycycline**');
    expect(card.detail).toContain('AllergyIntolerance/allergy\\-pcn'.replace('\\', ''));
    expect(card.detail).toMatch(/Prolonged QT/);
    expect(card.source).toMatchObject({
      label: expect.any(String),
      url: expect.stringMatching(/^http/),
      topic: { system: 'urn:argmed:cds:topic', code: 'medication-safety', display: 'Medication safety' },
    });
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions).toHaveLength(1);
    const [suggestion] = card.suggestions;
    expect(suggestion.isRecommended).toBe(true);
    expect(suggestion.label).toMatch(/Replace Amoxicillin 500 mg capsule with doxycycline/);
    const [remove, create] = suggestion.actions;
    expect(remove).toEqual({
      type: 'delete',
      description: expect.any(String),
      resourceId: 'MedicationRequest/draft-amox-1',
    });
    expect(create.type).toBe('create');
    expect(create.resource).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: 'order',
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '3640' }],
        text: 'doxycycline',
      },
      subject: { reference: 'Patient/pt-4821' },
      encounter: { reference: 'Encounter/enc-7731' },
      reasonCode: [{ coding: [{ code: '385093006' }] }],
    });
    expect(card.overrideReasons.length).toBeGreaterThan(2);
    for (const reason of card.overrideReasons) expect(reason.display).toBeTruthy();
    // Without a case service the case is not stored, so there is no link to a page that does not exist.
    expect(card.links).toBeUndefined();
  });

  it('without the allergy, amoxicillin is justified: an info card without suggestions', async () => {
    const request = without(fixture('order-sign'), 'allergies', 'allergy-pcn');
    const { status, body } = await call('argmed-order-sign', request);
    expect(status).toBe(200);
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0].indicator).toBe('info');
    expect(body.cards[0].summary).toMatch(/Amoxicillin 500 mg capsule .*justified/);
    expect(body.cards[0].suggestions).toBeUndefined();
  });

  it('with the allergy but no QT prolongation, two alternatives tie: critical, both offered, none recommended', async () => {
    const request = without(fixture('order-sign'), 'conditions', 'cond-qt');
    const { body } = await call('argmed-order-sign', request);
    const card = body.cards[0];
    expect(card.indicator).toBe('critical');
    const labels = card.suggestions.map((s: Json) => s.label).sort();
    expect(labels).toEqual([
      'Replace Amoxicillin 500 mg capsule with clarithromycin',
      'Replace Amoxicillin 500 mg capsule with doxycycline',
    ]);
    expect(card.suggestions.every((s: Json) => s.isRecommended === false)).toBe(true);
  });

  it('when every option is defeated (allergy, QT prolongation, pregnancy): critical, suggesting to remove the order', async () => {
    const request = fixture<Json>('order-sign');
    request.prefetch.conditions.entry.push({
      resource: {
        resourceType: 'Condition',
        id: 'cond-pregnancy',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '77386006', display: 'Pregnancy' }] },
        subject: { reference: 'Patient/pt-4821' },
      },
    });
    const { body } = await call('argmed-order-sign', request);
    const card = body.cards[0];
    expect(card.indicator).toBe('critical');
    expect(card.detail).toMatch(/No option is justified/);
    expect(card.suggestions).toEqual([
      {
        label: 'Remove the draft order for Amoxicillin 500 mg capsule',
        uuid: expect.any(String),
        isRecommended: true,
        actions: [
          { type: 'delete', description: expect.any(String), resourceId: 'MedicationRequest/draft-amox-1' },
        ],
      },
    ]);
  });

  it('an allergy record refuted by the clinician does not count', async () => {
    const request = fixture<Json>('order-sign');
    const allergy = request.prefetch.allergies.entry.find(
      (e: Json) => e.resource.id === 'allergy-pcn',
    ).resource;
    allergy.verificationStatus.coding[0].code = 'refuted';
    const { body } = await call('argmed-order-sign', request);
    expect(body.cards[0].indicator).toBe('info');
  });

  it('a free-text draft order (no coding) is recognised by name', async () => {
    const request = fixture<Json>('order-sign');
    request.context.draftOrders.entry[0].resource.medicationCodeableConcept = { text: 'Amoxil 500mg caps' };
    const { body } = await call('argmed-order-sign', request);
    expect(body.cards[0].indicator).toBe('critical');
  });

  it('answers no cards when no draft order is one the knowledge base knows', async () => {
    const request = fixture<Json>('order-sign');
    request.context.draftOrders.entry = request.context.draftOrders.entry.slice(1);
    const { status, body } = await call('argmed-order-sign', request);
    expect(status).toBe(200);
    expect(body).toEqual({ cards: [] });
  });
});

describe('order-select', () => {
  it('argues only the selected order', async () => {
    const { body } = await call('argmed-order-select', fixture('order-select'));
    expect(body.cards).toHaveLength(1);
    expect(body.cards[0].indicator).toBe('critical');
    expect(body.cards[0].detail).toMatch(/The clinician selected Amoxicillin/);
  });

  it('a selection of an order the knowledge base does not know gives no card', async () => {
    const request = fixture<Json>('order-select');
    request.context.selections = ['MedicationRequest/draft-paracetamol'];
    const { body } = await call('argmed-order-select', request);
    expect(body.cards).toEqual([]);
  });
});

describe('patient-view', () => {
  it('reviews the treatable active conditions; a resolved one is left out', async () => {
    const { body } = await call('argmed-patient-view', fixture('patient-view'));
    expect(body.cards).toHaveLength(2);
    const [pneumonia, diabetes] = body.cards;
    expect(pneumonia.summary).toMatch(/doxycycline .*community-acquired pneumonia/);
    expect(diabetes.summary).toMatch(/Metformin 500 mg ER tablet for type 2 diabetes: justified/);
    expect(diabetes.indicator).toBe('info');
    expect(JSON.stringify(body)).not.toMatch(/urinary/i);
  });

  it('flags a current medication the argument defeats through an allergy as critical', async () => {
    const request = fixture<Json>('patient-view');
    request.prefetch.medications.entry.push({
      resource: {
        resourceType: 'MedicationRequest',
        id: 'rx-amox-current',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: 'Amoxicillin 500 mg capsule' },
        subject: { reference: 'Patient/pt-4821' },
      },
    });
    const { body } = await call('argmed-patient-view', request);
    const pneumonia = body.cards.find((card: Json) => /pneumonia/.test(card.detail));
    expect(pneumonia.indicator).toBe('critical');
    expect(pneumonia.summary).toMatch(
      /^Review Amoxicillin 500 mg capsule: conflicts with penicillin allergy/,
    );
    expect(pneumonia.suggestions).toBeUndefined();
  });
});

describe('large charts', () => {
  it('accepts a prefetch larger than the API body limit (3 000 lab results) and keeps the recent ones', async () => {
    const request = fixture<Json>('order-sign');
    const template = request.prefetch.labs.entry[1].resource;
    for (let i = 0; i < 3_000; i += 1) {
      request.prefetch.labs.entry.push({
        resource: { ...template, id: `old-${i}`, effectiveDateTime: '2019-01-01T00:00:00Z' },
      });
    }
    expect(JSON.stringify(request).length).toBeGreaterThan(1_048_576);
    const { status, body } = await call('argmed-order-sign', request);
    expect(status).toBe(200);
    expect(body.cards[0].indicator).toBe('critical');
  });
});

describe('bad requests', () => {
  it('names a missing hookInstance', async () => {
    const request = fixture<Json>('order-sign');
    delete request.hookInstance;
    const { status, type, body } = await call('argmed-order-sign', request);
    expect(status).toBe(400);
    expect(type).toMatch(/application\/problem\+json/);
    expect(body.code).toBe('ARGMED_CDS_INVALID_REQUEST');
    expect(body.errors.map((e: Json) => e.path)).toContain('body/hookInstance');
  });

  it('names the context field a hook needs', async () => {
    const request = fixture<Json>('order-sign');
    delete request.context.draftOrders;
    const { status, body } = await call('argmed-order-sign', request);
    expect(status).toBe(400);
    expect(body.errors.map((e: Json) => e.path)).toContain('body/context/draftOrders');
  });

  it('refuses a hook the service does not answer', async () => {
    const { status, body } = await call('argmed-order-sign', fixture('patient-view'));
    expect(status).toBe(400);
    expect(body.code).toBe('ARGMED_CDS_WRONG_HOOK');
    expect(body.errors).toEqual([{ path: 'hook', message: expect.stringMatching(/order-sign/) }]);
  });

  it('answers 404 for an unknown service', async () => {
    const { status, body } = await call('no-such-service', fixture('order-sign'));
    expect(status).toBe(404);
    expect(body.code).toBe('ARGMED_CDS_UNKNOWN_SERVICE');
  });

  it('names the member of a FHIR resource that breaks R4', async () => {
    const request = fixture<Json>('order-sign');
    request.prefetch.labs.entry[0].resource.valueQuantity.value = 'fifty-eight';
    const { status, body } = await call('argmed-order-sign', request);
    expect(status).toBe(400);
    expect(body.code).toBe('ARGMED_CDS_INVALID_FHIR');
    expect(body.errors[0].path).toBe('prefetch.labs.entry[0].resource.valueQuantity.value');
  });

  it('answers 412 when prefetch is missing and no fhirServer is given to read it from', async () => {
    const request = fixture<Json>('order-sign');
    delete request.prefetch.allergies;
    delete request.fhirServer;
    const { status, type, body } = await call('argmed-order-sign', request);
    expect(status).toBe(412);
    expect(type).toMatch(/application\/problem\+json/);
    expect(body.code).toBe('ARGMED_CDS_PREFETCH_MISSING');
    expect(body.detail).toMatch(/allergies/);
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign',
      headers: { 'content-type': 'application/json' },
      payload: '{"hook": "order-sign",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
