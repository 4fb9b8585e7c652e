/**
 * The FHIR R4 mapping into case facts: what is kept, how it reads, its codes and its provenance.
 */
import { describe, expect, it } from 'vitest';
import type { CdsKnowledge, HookRequest } from '../../../src/cds/types.js';
import { ageInYears } from '../../../src/cds/fhir/map-patient.js';
import { readPatientRecord } from '../../../src/cds/fhir/patient-record.js';
import { labFacts } from '../../../src/cds/fhir/map-observation.js';
import type { Observation } from '../../../src/cds/fhir/types.js';
import { FIXTURE_NOW, fixture, type Json } from '../helpers.js';

/** A knowledge base that knows nothing: the mapping table alone decides the codes. */
const EMPTY: CdsKnowledge = {
  conceptsOf: () => [],
  treatmentFor: () => undefined,
  indicationsOf: () => [],
  treatmentsFor: () => [],
  isContraindication: () => false,
  label: (id) => id,
  vocabulary: () => ({ treatments: ['doxycycline'], indications: [] }),
};

function record(request: Json = fixture('order-sign')) {
  return readPatientRecord(request as HookRequest, request.prefetch, EMPTY, FIXTURE_NOW);
}

function lab(
  value: number,
  unit: string,
  code = '98979-8',
  when = '2026-11-20T08:00:00Z',
  interpretation?: string,
): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code, display: 'eGFR CKD-EPI' }] },
    valueQuantity: { value, unit, code: unit },
    effectiveDateTime: when,
    ...(interpretation ? { interpretation: [{ coding: [{ code: interpretation }] }] } : {}),
  };
}

describe('readPatientRecord on the order-sign fixture', () => {
  const { facts, conditions, currentMedications, draftOrders } = record();
  const bySource = (source: string) => facts.find((fact) => fact.source === source);

  it('patient: age at the time of the call and sex', () => {
    expect(bySource('Patient/pt-4821')).toEqual({
      id: 'patient',
      text: 'Patient: 68-year-old female.',
      codes: ['older-adult', 'female'],
      source: 'Patient/pt-4821',
    });
  });

  it('active conditions only, with codes from the table and the raw SNOMED code', () => {
    expect(conditions.map((c) => c.source)).toEqual([
      'Condition/cond-cap',
      'Condition/cond-t2d',
      'Condition/cond-qt',
    ]);
    expect(bySource('Condition/cond-cap')?.codes).toEqual(['community-acquired-pneumonia', '385093006']);
    expect(bySource('Condition/cond-cap')?.text).toBe(
      'Active condition: Community-acquired pneumonia, right lower lobe (severity Mild, since 2026-11-22).',
    );
    expect(bySource('Condition/cond-uti-old')).toBeUndefined();
  });

  it('allergies that hold, with reactions and criticality; a refuted one is left out', () => {
    const allergy = bySource('AllergyIntolerance/allergy-pcn');
    expect(allergy?.text).toBe(
      'Allergy: Penicillin; reaction: Anaphylaxis (severe), Urticaria (moderate); criticality high.',
    );
    expect(allergy?.codes).toEqual(['penicillin-allergy', '764146007']);
    expect(bySource('AllergyIntolerance/allergy-latex-refuted')).toBeUndefined();
  });

  it('current medications are the active ones; completed ones are history', () => {
    expect(currentMedications.map((m) => m.source)).toEqual(['MedicationRequest/rx-metformin']);
    expect(bySource('MedicationRequest/rx-metformin')?.text).toBe(
      'Current medication: Metformin 500 mg ER tablet, 1 tablet by mouth twice daily with meals.',
    );
  });

  it('recent labs with units, the latest per test, old ones dropped', () => {
    const labs = facts.filter((fact) => fact.id.startsWith('lab-'));
    expect(labs.map((l) => l.source)).toEqual([
      'Observation/lab-egfr',
      'Observation/lab-crp',
      'Observation/lab-k',
    ]);
    expect(labs[0].text).toMatch(
      /^Lab: eGFR 58 mL\/min\/1\.73m2 \(Glomerular filtration rate.*; low; 2026-11-24\)\.$/,
    );
    expect(labs[0].codes).toEqual(
      expect.arrayContaining(['egfr', 'egfr-low', 'renal-impairment', '98979-8']),
    );
    expect(labs[1].text).toMatch(/C reactive protein .* 86 mg\/L \(high; 2026-11-24\)/);
  });

  it('draft orders carry the stated indication; the drug is recognised for the question', () => {
    expect(draftOrders.map((o) => o.source)).toEqual([
      'MedicationRequest/draft-amox-1',
      'MedicationRequest/draft-paracetamol',
    ]);
    expect(draftOrders[0].concepts).toEqual(['amoxicillin']);
    expect(draftOrders[0].reasons).toEqual(['community-acquired-pneumonia']);
    expect(bySource('MedicationRequest/draft-amox-1')?.text).toBe(
      'Draft order (not yet signed): Amoxicillin 500 mg capsule, 500 mg by mouth three times daily for 5 days for Community acquired pneumonia.',
    );
  });
});

describe('mapping details', () => {
  it('age counts birthdays, and partial birth dates', () => {
    const now = Date.parse('2026-03-13T12:00:00Z');
    expect(ageInYears('1958-03-14', now)).toBe(67);
    expect(ageInYears('1958-03-13', now)).toBe(68);
    expect(ageInYears('1958', now)).toBe(68);
    expect(ageInYears('2030-01-01', now)).toBeUndefined();
  });

  it('thresholds apply only in the expected unit', () => {
    const [inUnit] = labFacts(
      [{ resource: lab(24, 'mL/min/{1.73_m2}'), source: 'Observation/a' }],
      FIXTURE_NOW,
    );
    expect(inUnit.codes).toEqual(expect.arrayContaining(['severe-renal-impairment', 'renal-impairment']));
    const [otherUnit] = labFacts([{ resource: lab(24, 'mL/s'), source: 'Observation/b' }], FIXTURE_NOW);
    expect(otherUnit.codes).not.toContain('renal-impairment');
  });

  it('results older than 90 days are not recent, and an entered-in-error one is ignored', () => {
    const old = lab(24, 'mL/min/{1.73_m2}', '98979-8', '2026-07-01T00:00:00Z');
    expect(labFacts([{ resource: old, source: 'Observation/old' }], FIXTURE_NOW)).toEqual([]);
    const wrong = { ...lab(24, 'mL/min/{1.73_m2}'), status: 'entered-in-error' };
    expect(labFacts([{ resource: wrong, source: 'Observation/w' }], FIXTURE_NOW)).toEqual([]);
  });

  it('a resource without id is cited by its place in the request', () => {
    const request = fixture<Json>('order-sign');
    delete request.prefetch.conditions.entry[0].resource.id;
    const { facts } = record(request);
    expect(facts.find((f) => f.text.includes('right lower lobe'))?.source).toBe(
      'prefetch.conditions.entry[0].resource',
    );
  });

  it('names are matched when codings are local: text and the knowledge base vocabulary', () => {
    const request = fixture<Json>('order-sign');
    request.context.draftOrders.entry[0].resource.medicationCodeableConcept = {
      coding: [
        { system: 'urn:oid:1.2.3.local', code: 'X-77', display: 'Doxycycline hyclate 100 mg capsule' },
      ],
    };
    request.prefetch.allergies.entry[0].resource.code = { text: 'Amoxicillin (rash 2015)' };
    const { draftOrders, facts } = record(request);
    expect(draftOrders[0].concepts).toEqual(['doxycycline']);
    expect(facts.find((f) => f.id === 'allergy-1')?.codes).toEqual([
      'penicillin-allergy',
      'amoxicillin-allergy',
    ]);
  });

  it('an unconfirmed condition is a suspicion: said so, and without the codes that would assert it', () => {
    const request = fixture<Json>('order-sign');
    const cap = request.prefetch.conditions.entry[0].resource;
    for (const status of ['provisional', 'differential', 'unconfirmed']) {
      cap.verificationStatus.coding[0].code = status;
      const fact = record(request).facts.find((f) => f.source === 'Condition/cond-cap');
      expect(fact?.text).toBe(
        `Suspected condition: Community-acquired pneumonia, right lower lobe (${status} diagnosis, severity Mild, since 2026-11-22).`,
      );
      expect(fact?.codes).toEqual([]);
    }
  });

  it('an intolerance is not an allergy', () => {
    const request = fixture<Json>('order-sign');
    request.prefetch.allergies.entry[0].resource.type = 'intolerance';
    const { facts } = record(request);
    const fact = facts.find((f) => f.id === 'allergy-1');
    expect(fact?.text).toMatch(/^Intolerance: Penicillin/);
    expect(fact?.codes).toContain('intolerance');
  });
});
