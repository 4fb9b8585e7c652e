/**
 * FHIR values that cannot be true are refused with 400 `ARGMED_CDS_INVALID_FHIR` naming the member, never
 * turned into clinical facts; and a missing allergy list is said on the cards, never read as "no allergies".
 * Regressions: an eGFR of -38 was coded as severe renal impairment, `birthDate 1961-13-45` rolled over into
 * an age, a Practitioner sent as `patient` and a future `birthDate` were silently dropped.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCdsApp, fixture, type Json } from './helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildCdsApp();
});
afterAll(async () => app.close());

async function sign(request: Json) {
  const response = await app.inject({
    method: 'POST',
    url: '/cds-services/argmed-order-sign',
    payload: request,
  });
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    body: response.json() as Json,
  };
}

async function expectInvalid(request: Json, member: string): Promise<void> {
  const { status, type, body } = await sign(request);
  expect(status, JSON.stringify(body)).toBe(400);
  expect(type).toMatch(/^application\/problem\+json/);
  expect(body.code).toBe('ARGMED_CDS_INVALID_FHIR');
  expect(body.errors[0].path).toBe(member);
}

const labIndex = (request: Json, id: string) =>
  request.prefetch.labs.entry.findIndex((entry: Json) => entry.resource.id === id);

describe('impossible FHIR values', () => {
  it('a negative eGFR is refused, naming the value', async () => {
    const request = fixture<Json>('order-sign');
    const i = labIndex(request, 'lab-egfr');
    request.prefetch.labs.entry[i].resource.valueQuantity.value = -38;
    await expectInvalid(request, `prefetch.labs.entry[${i}].resource.valueQuantity.value`);
  });

  it('a birthDate that is not a calendar date, or in the future, is refused', async () => {
    for (const birthDate of ['1961-13-45', '1961-02-30', '2199-01-01']) {
      const request = fixture<Json>('order-sign');
      request.prefetch.patient.birthDate = birthDate;
      await expectInvalid(request, 'prefetch.patient.birthDate');
    }
  });

  it('a dateTime with an impossible month is refused', async () => {
    const request = fixture<Json>('order-sign');
    const i = labIndex(request, 'lab-egfr');
    request.prefetch.labs.entry[i].resource.effectiveDateTime = '2026-14-01T10:00:00Z';
    await expectInvalid(request, `prefetch.labs.entry[${i}].resource.effectiveDateTime`);
  });

  it('a resource of another type where a Patient is expected is refused, not dropped', async () => {
    const request = fixture<Json>('order-sign');
    request.prefetch.patient = { resourceType: 'Practitioner', id: 'dr-1' };
    await expectInvalid(request, 'prefetch.patient.resourceType');
  });

  // Regression: a searchset entry of another type (a Patient in the allergy Bundle) or without a resource was
  // skipped, so the allergy list read as empty and the penicillin order got a plain "info: justified" card.
  it('a Bundle entry of another type or without a resource is refused, not skipped', async () => {
    const patient = fixture<Json>('order-sign').prefetch.patient;
    const wrongType = fixture<Json>('order-sign');
    wrongType.prefetch.allergies = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient }] };
    await expectInvalid(wrongType, 'prefetch.allergies.entry[0].resource.resourceType');
    const empty = fixture<Json>('order-sign');
    empty.prefetch.allergies.entry.push({ fullUrl: 'urn:uuid:x' });
    await expectInvalid(empty, `prefetch.allergies.entry[${empty.prefetch.allergies.entry.length - 1}].resource`);
    // Included resources and the search's OperationOutcome are other types by design: still read.
    const included = fixture<Json>('order-sign');
    included.prefetch.allergies.entry.push(
      { resource: patient, search: { mode: 'include' } },
      { resource: { resourceType: 'OperationOutcome', issue: [] }, search: { mode: 'outcome' } },
    );
    const { status, body } = await sign(included);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.cards[0].indicator).toBe('critical');
  });

  it('the unchanged fixture is still answered (the checks are not refusing everything)', async () => {
    const { status, body } = await sign(fixture<Json>('order-sign'));
    expect(status).toBe(200);
    expect(body.cards.length).toBeGreaterThan(0);
    expect(body.cards[0].detail).not.toMatch(/allergy list was not available/);
  });
});

/** Every card of the answer says the allergy list was not available, and none is a plain "info". */
async function expectAllergyListUnavailable(request: Json): Promise<void> {
  const { status, body } = await sign(request);
  expect(status).toBe(200);
  expect(body.cards.length).toBeGreaterThan(0);
  for (const card of body.cards) {
    expect(card.detail).toMatch(/The allergy list was not available to this service/);
    expect(card.indicator).not.toBe('info');
  }
}

describe('allergy list not available', () => {
  // A key missing without a FHIR server to read it from is a 412 (prefetch missing); null is the client
  // saying it has no data for it.
  it('null: every card says so and none is a plain "info"', async () => {
    for (const value of [null]) {
      const request = fixture<Json>('order-sign');
      // Without the penicillin allergy record the order would be cleared: exactly the case that must not read as safe.
      request.prefetch.allergies = value;
      await expectAllergyListUnavailable(request);
    }
  });

  // Regression: a search Bundle with more pages (a `next` link, which argmed does not follow) or a `total`
  // above its entries was read as the whole list, so a first page without the penicillin allergy cleared the
  // order with a plain "info" card.
  it('a partial list (more pages, or fewer entries than its total): every card says so, none is "info"', async () => {
    const paged = fixture<Json>('order-sign');
    paged.prefetch.allergies = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: 'https://ehr.example.org/fhir/AllergyIntolerance?patient=pt-4821&page=2' }],
      entry: [],
    };
    const counted = fixture<Json>('order-sign');
    counted.prefetch.allergies = { resourceType: 'Bundle', type: 'searchset', total: 3, entry: [] };
    for (const request of [paged, counted]) {
      await expectAllergyListUnavailable(request);
    }
  });
});
