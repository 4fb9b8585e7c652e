/**
 * The CDS services through the whole service (`startService`: SQLite store, migrations, real case service,
 * the app with the plugin registered): the card links to the stored case's graph page, feedback on the card
 * (accepted and overridden with a reason) is stored with the case and shown by GET /v1/cases/:id, the
 * OpenAPI document describes the CDS routes, and nothing of the patient reaches the logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import { type RunningService, startService } from '../../src/http/start-service.js';
import { loadConfig } from '../../src/config.js';
import { fixture, type Json } from './helpers.js';

class Lines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }
}

const PUBLIC_URL = 'https://argmed.example.org';
let dir: string;
let service: RunningService;
const logs = new Lines();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'argmed-cds-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'argmed.db')}`,
    ARGMED_CDS_INSECURE: '1',
    ARGMED_PUBLIC_URL: PUBLIC_URL,
    LOG_LEVEL: 'info',
  });
  // Overload protection off, as in the other tests of the real service: on a loaded machine a stalled event
  // loop answers 503 by design, which is not what these tests are about.
  service = await startService(config, {
    logger: createLogger('info', logs),
    app: { pressure: { maxEventLoopDelay: 0 } },
  });
});

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signCard(): Promise<{ card: Json; caseId: string }> {
  const response = await service.app.inject({
    method: 'POST',
    url: '/cds-services/argmed-order-sign',
    payload: fixture('order-sign'),
  });
  expect(response.statusCode).toBe(200);
  const card = response.json().cards[0];
  const link = card.links?.[0];
  expect(link).toMatchObject({ type: 'absolute', label: expect.any(String) });
  const match = new RegExp(`^${PUBLIC_URL}/v1/cases/([^/]+)/view\\?exp=\\d+&sig=[\\w-]+$`).exec(link.url);
  expect(match).not.toBeNull();
  return { card, caseId: decodeURIComponent(match![1]) };
}

describe('through the whole service', () => {
  it('discovery is served beside the API', async () => {
    const response = await service.app.inject({ method: 'GET', url: '/cds-services' });
    expect(response.statusCode).toBe(200);
    expect(response.json().services).toHaveLength(3);
  });

  it('accepts trailing slashes, as the CDS Hooks sandbox sends them', async () => {
    const discovery = await service.app.inject({ method: 'GET', url: '/cds-services/' });
    expect(discovery.statusCode).toBe(200);
    expect(discovery.json().services).toHaveLength(3);
    const call = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/',
      payload: fixture('order-sign'),
    });
    expect(call.statusCode).toBe(200);
    expect(call.json().cards.length).toBeGreaterThan(0);
  });

  it('the card links to the stored case, whose page and record exist and agree with the card', async () => {
    const { card, caseId } = await signCard();
    expect(card.indicator).toBe('critical');
    const done = await service.caseService.waitUntilDone(caseId, 20_000);
    expect(done?.status).toBe('decided');
    const record = (await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}` })).json();
    expect(record.input.question).toMatch(/Should the draft order for Amoxicillin 500 mg capsule/);
    const allergy = record.input.facts.find((fact: Json) => fact.source === 'AllergyIntolerance/allergy-pcn');
    expect(allergy.codes).toContain('penicillin-allergy');
    expect(record.result.decision.option).toBe('doxycycline');
    const page = await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}/view` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('the same hook instance sent twice is stored once', async () => {
    const first = await signCard();
    const second = await signCard();
    expect(second.caseId).toBe(first.caseId);
    expect(second.card.uuid).not.toBe(first.card.uuid);
  });

  it('feedback: overridden with a reason and accepted, visible in GET /v1/cases/:id', async () => {
    const { card, caseId } = await signCard();
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/feedback',
      payload: {
        feedback: [
          {
            card: card.uuid,
            outcome: 'overridden',
            overrideReason: {
              reason: card.overrideReasons[0],
              userComment: 'Tolerated amoxicillin in 2024 without reaction.',
            },
            outcomeTimestamp: '2026-11-25T12:03:00Z',
          },
          {
            card: card.uuid,
            outcome: 'accepted',
            acceptedSuggestions: [{ id: card.suggestions[0].uuid }],
            outcomeTimestamp: '2026-11-25T12:04:00Z',
          },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stored: 2 });
    const record = (await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}` })).json();
    expect(record.feedback).toEqual([
      {
        outcome: 'overridden',
        overrideReason: {
          code: 'record-not-applicable',
          display: card.overrideReasons[0].display,
          userComment: 'Tolerated amoxicillin in 2024 without reaction.',
        },
        card: card.uuid,
        at: expect.stringMatching(/^2026-11-25T12:03:00/),
      },
      { outcome: 'accepted', card: card.uuid, at: expect.stringMatching(/^2026-11-25T12:04:00/) },
    ]);
  });

  it('feedback on an unknown card is 404 naming the field, and stores nothing', async () => {
    const { card, caseId } = await signCard();
    const before = (await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}` })).json().feedback
      .length;
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/feedback',
      payload: {
        feedback: [
          { card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-25T12:05:00Z' },
          {
            card: '00000000-0000-4000-8000-000000000000',
            outcome: 'overridden',
            outcomeTimestamp: '2026-11-25T12:05:00Z',
          },
        ],
      },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'ARGMED_CDS_UNKNOWN_CARD',
      errors: [{ path: 'feedback[1].card' }],
    });
    const after = (await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}` })).json().feedback
      .length;
    expect(after).toBe(before);
  });

  it('feedback sent to another service than the card came from is refused', async () => {
    const { card } = await signCard();
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-patient-view/feedback',
      payload: {
        feedback: [{ card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-25T12:05:00Z' }],
      },
    });
    expect(response.statusCode).toBe(404);
  });

  it('feedback to a service that does not exist is 404', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/no-such-service/feedback',
      payload: { feedback: [{ card: 'x', outcome: 'overridden', outcomeTimestamp: '2026-11-25T12:05:00Z' }] },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('ARGMED_CDS_UNKNOWN_SERVICE');
  });

  it('feedback with an accepted outcome but no suggestions is a 400 naming the field', async () => {
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/feedback',
      payload: { feedback: [{ card: 'x', outcome: 'accepted', outcomeTimestamp: '2026-11-25T12:05:00Z' }] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: Json) => e.path)).toContain('body/feedback/0/acceptedSuggestions');
  });

  it('the OpenAPI document describes the CDS Hooks routes', async () => {
    const response = await service.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/cds-services', '/cds-services/{id}', '/cds-services/{id}/feedback']),
    );
  });

  it('no patient content in the logs', () => {
    const text = logs.lines.join('\n');
    expect(text).toMatch(/cds hook answered/);
    for (const secret of [
      'Okafor',
      'Penicillin',
      'penicillin',
      'Amoxicillin',
      'pneumonia',
      'Tolerated',
      'MRN-0048213',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('an override with a reason argues back', () => {
  /** The order-sign fixture for a patient of this test alone (other tests override cards of the fixture's patient). */
  async function signFor(patientId: string, hookInstance: string): Promise<{ card: Json; caseId: string }> {
    const payload = fixture('order-sign') as { context: Record<string, unknown> };
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign',
      payload: { ...payload, hookInstance, context: { ...payload.context, patientId } },
    });
    expect(response.statusCode).toBe(200);
    const card = response.json().cards[0];
    return { card, caseId: decodeURIComponent(/\/v1\/cases\/([^/]+)\/view/.exec(card.links[0].url)![1]) };
  }

  /** The revisions of a case once it has `count` of them (the carried override lands after the hook answers). */
  async function revisionsOnceThere(caseId: string, count: number): Promise<Json> {
    for (let i = 0; ; i++) {
      const list = (await service.app.inject({ method: 'GET', url: `/v1/cases/${caseId}/revisions` })).json();
      if (list.revisions?.length >= count || i >= 200) return list;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('becomes a clinician argument in a new revision, and the next call for the same patient and order reflects it, in its card and its stored case', async () => {
    const first = await signFor('pt-override', 'b1f0e8a2-0d6c-4a59-9c47-5d1b4c0e0001');
    expect(first.card.summary).toContain('doxycycline is better justified');
    const comment = 'Tolerated amoxicillin in 2024 without reaction.';
    const response = await service.app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/feedback',
      payload: {
        feedback: [
          {
            card: first.card.uuid,
            outcome: 'overridden',
            overrideReason: { reason: first.card.overrideReasons[0], userComment: comment },
            outcomeTimestamp: '2026-11-25T12:03:00Z',
          },
        ],
      },
    });
    expect(response.json()).toEqual({ stored: 1 });
    const list = (
      await service.app.inject({ method: 'GET', url: `/v1/cases/${first.caseId}/revisions` })
    ).json();
    expect(list.chain.verified).toBe(true);
    expect(list.revisions).toHaveLength(2);
    const revision = list.revisions[1];
    expect(revision).toMatchObject({
      kind: 'feedback',
      author: 'cds:Practitioner/pr-112',
      decisionChanged: true,
    });
    expect(revision.reason).toContain(comment);
    expect(revision.change).toMatchObject({
      scheme: 'CLIN',
      judgement: true,
      attacks: [{ target: list.revisions[0].decision.argument }],
    });

    // The next call for the same patient and order: the override argues in it, and the card says so.
    const next = await signFor('pt-override', 'b1f0e8a2-0d6c-4a59-9c47-5d1b4c0e0002');
    expect(next.card.summary).not.toContain('doxycycline is better justified');
    expect(next.card.detail).toContain(comment);
    // The case that card links to holds the override too, in a revision by the same clinician, so its page
    // shows what the card says.
    const carried = await revisionsOnceThere(next.caseId, 2);
    expect(carried.chain.verified).toBe(true);
    expect(carried.revisions[1]).toMatchObject({ kind: 'feedback', author: 'cds:Practitioner/pr-112', decisionChanged: true });
    expect(carried.revisions[1].reason).toContain(`Standing override from case ${first.caseId}`);
    expect(carried.revisions[1].reason).toContain(comment);
    expect(carried.revisions[1].change).toMatchObject({ scheme: 'CLIN', judgement: true, attacks: [{ target: carried.revisions[0].decision.argument }] });
    const stored = (await service.app.inject({ method: 'GET', url: `/v1/cases/${next.caseId}` })).json();
    expect(stored.result.status).toBe(carried.revisions[1].status);
    expect(stored.result.decision?.option).not.toBe('doxycycline');
    const page = await service.app.inject({ method: 'GET', url: `/v1/cases/${next.caseId}/view` });
    expect(page.body).toContain(comment);
    // The same hook instance again: the same stored case, the override not added twice.
    const again = await signFor('pt-override', 'b1f0e8a2-0d6c-4a59-9c47-5d1b4c0e0002');
    expect(again.caseId).toBe(next.caseId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await revisionsOnceThere(next.caseId, 2)).revisions).toHaveLength(2);
    // And the call after: it still reflects the override, now found on the newest case about the order.
    const third = await signFor('pt-override', 'b1f0e8a2-0d6c-4a59-9c47-5d1b4c0e0004');
    expect(third.card.summary).not.toContain('doxycycline is better justified');
    expect(third.card.detail).toContain(comment);
    expect((await revisionsOnceThere(third.caseId, 2)).revisions[1].reason).toContain(`Standing override from case ${next.caseId}`);
    // Another patient with the same order is not affected.
    const other = await signFor('pt-untouched', 'b1f0e8a2-0d6c-4a59-9c47-5d1b4c0e0003');
    expect(other.card.summary).toContain('doxycycline is better justified');
  });
});
