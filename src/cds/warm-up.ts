/**
 * Warms the service at start: one order-sign call on a synthetic patient (no real data) runs every code
 * path once — request schema, FHIR mapping, question building, the engine with the knowledge back-end,
 * card building — so that the first EHR call is not the one paying for cold code (about 50 ms of CPU).
 * Failures are ignored: a knowledge base without these rules simply warms less.
 */
import { randomUUID } from 'node:crypto';
import { answerHook, type HookDeps } from './answer-hook.js';
import { createCardRegistry } from './card-registry.js';
import { findService } from './service-catalog.js';
import { HookRequestSchema } from './types.js';

const SNOMED = 'http://snomed.info/sct';
const patient = { reference: 'Patient/warm-up' };
const bundle = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});

/** A synthetic order-sign request: pneumonia, a penicillin allergy, an amoxicillin draft order. */
function syntheticRequest(): unknown {
  return {
    hook: 'order-sign',
    hookInstance: randomUUID(),
    context: {
      userId: 'Practitioner/warm-up',
      patientId: 'warm-up',
      draftOrders: bundle([
        {
          resourceType: 'MedicationRequest',
          id: 'warm-up-order',
          status: 'draft',
          intent: 'order',
          medicationCodeableConcept: { text: 'amoxicillin 500 mg capsule' },
          reasonCode: [
            { coding: [{ system: SNOMED, code: '385093006', display: 'Community acquired pneumonia' }] },
          ],
          subject: patient,
        },
      ]),
    },
    prefetch: {
      patient: { resourceType: 'Patient', id: 'warm-up', gender: 'female', birthDate: '1960-01-01' },
      conditions: bundle([
        {
          resourceType: 'Condition',
          id: 'warm-up-condition',
          code: { coding: [{ system: SNOMED, code: '385093006', display: 'Community acquired pneumonia' }] },
          subject: patient,
        },
      ]),
      medications: bundle([]),
      labs: bundle([
        {
          resourceType: 'Observation',
          id: 'warm-up-lab',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '98979-8', display: 'eGFR' }] },
          valueQuantity: { value: 70, unit: 'mL/min/1.73m2', code: 'mL/min/{1.73_m2}' },
          subject: patient,
        },
      ]),
      allergies: bundle([
        {
          resourceType: 'AllergyIntolerance',
          id: 'warm-up-allergy',
          code: { coding: [{ system: SNOMED, code: '764146007', display: 'Penicillin' }] },
          patient,
        },
      ]),
    },
  };
}

/**
 * Runs the synthetic call a few times; never throws, never stores a case, never logs patient data (there
 * is none).
 * @param deps the service's dependencies (its case service and card registry are not used).
 */
export async function warmUp(deps: HookDeps, rounds = 3): Promise<void> {
  const service = findService('argmed-order-sign');
  if (!service) return;
  const quiet = {
    ...deps,
    caseService: undefined,
    registry: createCardRegistry(1),
    log: deps.log.child({}, { level: 'silent' }),
  };
  for (let i = 0; i < rounds; i += 1) {
    // Requests that arrived meanwhile go first: the warm-up must not delay the service it warms.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      await answerHook(quiet, service, HookRequestSchema.parse(syntheticRequest()), 'http://localhost');
    } catch {
      return;
    }
  }
}
