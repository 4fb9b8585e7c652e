/**
 * The examples of the CDS Hooks 2.0 specification (re-typed in fixtures/spec) against argmed's wire
 * schemas, and the rules of the spec the schemas enforce on argmed's own answers.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CardSchema,
  DiscoveryResponseSchema,
  FeedbackRequestSchema,
  HookRequestSchema,
  HookResponseSchema,
} from '../../src/cds/types.js';
import { startFhirStub } from './fhir-stub.js';
import { buildCdsApp, fixture, type Json } from './helpers.js';

describe('the specification examples', () => {
  it('discovery response', () => {
    expect(DiscoveryResponseSchema.safeParse(fixture('spec/discovery-response')).success).toBe(true);
  });

  it.each(['spec/patient-view-request', 'spec/order-sign-pagination-request'])('request %s', (name) => {
    const parsed = HookRequestSchema.safeParse(fixture(name));
    expect(parsed.error?.issues).toBeUndefined();
  });

  it.each(['spec/response', 'spec/system-actions-response'])('response %s', (name) => {
    const parsed = HookResponseSchema.safeParse(fixture(name));
    expect(parsed.error?.issues).toBeUndefined();
  });

  it.each(['spec/feedback-accepted', 'spec/feedback-overridden', 'spec/feedback-override-reason'])(
    'feedback %s',
    (name) => {
      expect(FeedbackRequestSchema.safeParse(fixture(name)).error?.issues).toBeUndefined();
    },
  );
});

describe('rules of the specification', () => {
  const card = { summary: 'ok', indicator: 'info', source: { label: 'argmed' } };

  it('a summary has fewer than 140 characters', () => {
    expect(CardSchema.safeParse({ ...card, summary: 'x'.repeat(139) }).success).toBe(true);
    expect(CardSchema.safeParse({ ...card, summary: 'x'.repeat(140) }).success).toBe(false);
  });

  it('suggestions need a selectionBehavior', () => {
    const suggestions = [
      { label: 'do it', actions: [{ type: 'delete', description: 'x', resourceId: 'A/1' }] },
    ];
    expect(CardSchema.safeParse({ ...card, suggestions }).success).toBe(false);
    expect(CardSchema.safeParse({ ...card, suggestions, selectionBehavior: 'at-most-one' }).success).toBe(
      true,
    );
  });

  it('an indicator is info, warning or critical', () => {
    expect(CardSchema.safeParse({ ...card, indicator: 'urgent' }).success).toBe(false);
  });

  it('an accepted outcome lists the accepted suggestions', () => {
    const feedback = fixture<Json>('spec/feedback-accepted');
    delete feedback.feedback[0].acceptedSuggestions;
    expect(FeedbackRequestSchema.safeParse(feedback).success).toBe(false);
  });

  it('fhirAuthorization needs a fhirServer', () => {
    const request = fixture<Json>('spec/patient-view-request');
    delete request.fhirServer;
    expect(HookRequestSchema.safeParse(request).success).toBe(false);
  });

  it('each hook checks its own context', () => {
    const request = fixture<Json>('spec/order-sign-pagination-request');
    delete request.context.draftOrders;
    expect(HookRequestSchema.safeParse(request).success).toBe(false);
    request.hook = 'patient-view';
    expect(HookRequestSchema.safeParse(request).success).toBe(true);
  });
});

describe('the service with the specification examples', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildCdsApp({ ARGMED_CDS_INSECURE: '1', ARGMED_CDS_FHIR_LOOPBACK: '1' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the discovery document in the spec shape', async () => {
    const response = await app.inject({ method: 'GET', url: '/cds-services' });
    expect(DiscoveryResponseSchema.safeParse(response.json()).success).toBe(true);
  });

  it("answers 412 to the spec's order-sign example: its prefetch lacks our keys and its FHIR server refuses without a token", async () => {
    // The example's fhirServer (ehr.example.org) stands in for a closed server on this machine.
    const closed = await startFhirStub({}, 'none');
    closed.mode = 'needs-token';
    try {
      const request = fixture<Json>('spec/order-sign-pagination-request');
      request.fhirServer = closed.url;
      const response = await app.inject({
        method: 'POST',
        url: '/cds-services/argmed-order-sign',
        payload: request,
      });
      expect(response.statusCode).toBe(412);
      expect(response.json().code).toBe('ARGMED_CDS_FHIR_UNAVAILABLE');
      expect(closed.requests.length).toBeGreaterThan(0);
      expect(closed.requests.every((r) => r.authorization === undefined)).toBe(true);
    } finally {
      await closed.close();
    }
  });
});
