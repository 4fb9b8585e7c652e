/**
 * The mapping table from clinical terminologies (SNOMED CT, RxNorm, LOINC, ICD-10) to the knowledge base's
 * concept codes (lower-case kebab, e.g. `penicillin-allergy`). A coding is looked up by system and code
 * first; when no coding matches, the display names and text are matched against name patterns and against
 * the concept codes the knowledge base itself uses (`amoxicillin` matches "Amoxicillin 500 mg capsule").
 * The table is small on purpose: it documents what argmed recognises (docs/cds-hooks.md lists it), and a
 * site extends it by adding rows, not code.
 */
import type { CodeableConcept } from './types.js';

export type ConceptKind = 'condition' | 'allergy' | 'medication' | 'lab';

export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const LOINC = 'http://loinc.org';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

export interface CodeMapping {
  kind: ConceptKind;
  system: string;
  code: string;
  display: string;
  concepts: string[];
}

const row = (kind: ConceptKind, system: string, code: string, display: string, ...concepts: string[]) => ({
  kind,
  system,
  code,
  display,
  concepts,
});

/** Codes argmed recognises, by the kind of resource they appear in. */
export const CODE_MAPPINGS: readonly CodeMapping[] = [
  // Allergies: substance codes (SNOMED, RxNorm) and "allergy to X" disorder codes.
  row('allergy', SNOMED, '91936005', 'Allergy to penicillin', 'penicillin-allergy'),
  row('allergy', SNOMED, '764146007', 'Penicillin (substance)', 'penicillin-allergy'),
  row('allergy', SNOMED, '294505008', 'Allergy to amoxicillin', 'penicillin-allergy', 'amoxicillin-allergy'),
  row('allergy', SNOMED, '372687004', 'Amoxicillin (substance)', 'penicillin-allergy', 'amoxicillin-allergy'),
  row('allergy', SNOMED, '91939003', 'Allergy to sulfonamide', 'sulfonamide-allergy'),
  row('allergy', RXNORM, '70618', 'Penicillin', 'penicillin-allergy'),
  row('allergy', RXNORM, '7980', 'Penicillin G', 'penicillin-allergy'),
  row('allergy', RXNORM, '7984', 'Penicillin V', 'penicillin-allergy'),
  row('allergy', RXNORM, '723', 'Amoxicillin', 'penicillin-allergy', 'amoxicillin-allergy'),
  row('allergy', RXNORM, '733', 'Ampicillin', 'penicillin-allergy'),
  row('allergy', RXNORM, '10180', 'Sulfamethoxazole', 'sulfonamide-allergy'),
  row('allergy', RXNORM, '18631', 'Azithromycin', 'macrolide-allergy'),
  // Medications: RxNorm ingredients and a few common clinical drugs.
  row('medication', RXNORM, '723', 'Amoxicillin', 'amoxicillin'),
  row('medication', RXNORM, '308182', 'Amoxicillin 250 MG Oral Capsule', 'amoxicillin'),
  row('medication', RXNORM, '308191', 'Amoxicillin 500 MG Oral Capsule', 'amoxicillin'),
  row('medication', RXNORM, '3640', 'Doxycycline', 'doxycycline'),
  row('medication', RXNORM, '18631', 'Azithromycin', 'azithromycin'),
  row('medication', RXNORM, '21212', 'Clarithromycin', 'clarithromycin'),
  row('medication', RXNORM, '2551', 'Ciprofloxacin', 'ciprofloxacin'),
  row('medication', RXNORM, '82122', 'Levofloxacin', 'levofloxacin'),
  row('medication', RXNORM, '2231', 'Cephalexin', 'cephalexin'),
  row('medication', RXNORM, '733', 'Ampicillin', 'ampicillin'),
  row('medication', RXNORM, '7984', 'Penicillin V', 'penicillin-v'),
  row('medication', RXNORM, '6809', 'Metformin', 'metformin'),
  row('medication', RXNORM, '11289', 'Warfarin', 'warfarin'),
  row('medication', RXNORM, '5640', 'Ibuprofen', 'ibuprofen'),
  row('medication', RXNORM, '1191', 'Aspirin', 'aspirin'),
  row('medication', RXNORM, '29046', 'Lisinopril', 'lisinopril'),
  row('medication', RXNORM, '17767', 'Amlodipine', 'amlodipine'),
  // Conditions: SNOMED CT and ICD-10.
  row('condition', SNOMED, '385093006', 'Community acquired pneumonia', 'community-acquired-pneumonia'),
  row('condition', SNOMED, '233604007', 'Pneumonia', 'pneumonia'),
  row('condition', ICD10CM, 'J18.9', 'Pneumonia, unspecified organism', 'pneumonia'),
  row('condition', SNOMED, '43878008', 'Streptococcal sore throat', 'streptococcal-pharyngitis'),
  row('condition', SNOMED, '68566005', 'Urinary tract infectious disease', 'urinary-tract-infection'),
  row('condition', SNOMED, '44054006', 'Diabetes mellitus type 2', 'type-2-diabetes'),
  row('condition', ICD10CM, 'E11.9', 'Type 2 diabetes mellitus without complications', 'type-2-diabetes'),
  row('condition', SNOMED, '38341003', 'Hypertensive disorder', 'hypertension'),
  row('condition', ICD10CM, 'I10', 'Essential (primary) hypertension', 'hypertension'),
  row('condition', SNOMED, '709044004', 'Chronic kidney disease', 'chronic-kidney-disease'),
  row('condition', SNOMED, '49436004', 'Atrial fibrillation', 'atrial-fibrillation'),
  row('condition', SNOMED, '77386006', 'Pregnancy', 'pregnancy'),
  row('condition', ICD10, 'Z33.1', 'Pregnant state, incidental', 'pregnancy'),
  row('condition', SNOMED, '195967001', 'Asthma', 'asthma'),
  row('condition', SNOMED, '84114007', 'Heart failure', 'heart-failure'),
  row('condition', SNOMED, '235856003', 'Disorder of liver', 'liver-disease'),
  // Laboratory tests (LOINC); value thresholds are in map-observation.ts.
  row('lab', LOINC, '33914-3', 'eGFR (MDRD)', 'egfr'),
  row('lab', LOINC, '62238-1', 'eGFR (CKD-EPI)', 'egfr'),
  row('lab', LOINC, '98979-8', 'eGFR (CKD-EPI 2021)', 'egfr'),
  row('lab', LOINC, '2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'creatinine'),
  row('lab', LOINC, '2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'potassium'),
  row('lab', LOINC, '6301-6', 'INR in Platelet poor plasma by Coagulation assay', 'inr'),
  row('lab', LOINC, '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 'hba1c'),
  row(
    'lab',
    LOINC,
    '1742-6',
    'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    'alt',
  ),
  row('lab', LOINC, '777-3', 'Platelets [#/volume] in Blood by Automated count', 'platelets'),
];

/** Name patterns used when no coding is recognised (free-text orders, local codes). */
export const NAME_MAPPINGS: ReadonlyArray<{ kind: ConceptKind; pattern: RegExp; concepts: string[] }> = [
  {
    kind: 'allergy',
    pattern: /penicillin|amoxicillin|ampicillin|piperacillin|benzylpenicillin/i,
    concepts: ['penicillin-allergy'],
  },
  { kind: 'allergy', pattern: /amoxicillin/i, concepts: ['amoxicillin-allergy'] },
  { kind: 'allergy', pattern: /sulfa|sulfonamide|sulfamethoxazole/i, concepts: ['sulfonamide-allergy'] },
  {
    kind: 'allergy',
    pattern: /macrolide|azithromycin|clarithromycin|erythromycin/i,
    concepts: ['macrolide-allergy'],
  },
  {
    kind: 'allergy',
    pattern: /cephalosporin|cefalexin|cephalexin|ceftriaxone|cefuroxime/i,
    concepts: ['cephalosporin-allergy'],
  },
  { kind: 'allergy', pattern: /tetracycline|doxycycline/i, concepts: ['tetracycline-allergy'] },
  { kind: 'allergy', pattern: /\bnsaids?\b|ibuprofen|naproxen|aspirin/i, concepts: ['nsaid-allergy'] },
  {
    kind: 'condition',
    pattern: /community[- ]acquired pneumonia/i,
    concepts: ['community-acquired-pneumonia'],
  },
  { kind: 'condition', pattern: /pregnan/i, concepts: ['pregnancy'] },
  { kind: 'condition', pattern: /chronic kidney disease|\bckd\b/i, concepts: ['chronic-kidney-disease'] },
];

const byKey = new Map<string, CodeMapping[]>();
for (const mapping of CODE_MAPPINGS) {
  const key = `${mapping.kind}|${mapping.system}|${mapping.code}`;
  byKey.set(key, [...(byKey.get(key) ?? []), mapping]);
}

/** The readable name of a CodeableConcept: its text, else the first coding's display, else its code. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  const text = concept.text?.trim();
  if (text) return text;
  const coding = concept.coding?.find((c) => c.display?.trim()) ?? concept.coding?.find((c) => c.code);
  return coding?.display?.trim() || coding?.code;
}

/**
 * The knowledge-base concept codes of a CodeableConcept.
 * @param kind which part of the table applies (an allergy to amoxicillin is not amoxicillin).
 * @param vocabulary concept codes the knowledge base uses for this kind; their words are matched in names.
 * Cost: O(codings + name patterns + vocabulary).
 */
export function conceptsOf(
  kind: ConceptKind,
  concept: CodeableConcept | undefined,
  vocabulary: readonly string[] = [],
): string[] {
  if (!concept) return [];
  const found = new Set<string>();
  for (const coding of concept.coding ?? []) {
    if (!coding.system || !coding.code) continue;
    for (const mapping of byKey.get(`${kind}|${coding.system}|${coding.code}`) ?? []) {
      for (const code of mapping.concepts) found.add(code);
    }
  }
  if (found.size > 0) return [...found];
  const names = [concept.text, ...(concept.coding ?? []).map((c) => c.display)].filter(
    (name): name is string => typeof name === 'string' && name.trim() !== '',
  );
  for (const name of names) {
    for (const entry of NAME_MAPPINGS) {
      if (entry.kind === kind && entry.pattern.test(name)) for (const code of entry.concepts) found.add(code);
    }
    for (const code of vocabulary) if (mentions(name, code)) found.add(code);
  }
  return [...found];
}

/**
 * The raw codes of a CodeableConcept (`91936005`), kept on facts beside the mapped concepts: a knowledge
 * base may list terminology codes under a concept's `codes`, and then matches them directly.
 */
export function rawCodes(concept: CodeableConcept | undefined): string[] {
  return (concept?.coding ?? [])
    .map((coding) => coding.code?.trim())
    .filter((code): code is string => Boolean(code) && (code as string).length <= 128);
}

/** True when the words of a kebab concept code appear as whole words in a name. */
function mentions(name: string, code: string): boolean {
  const words = code.split('-').map((word) => word.replace(/[^a-z0-9]/gi, ''));
  if (words.some((word) => word === '')) return false;
  return new RegExp(`\\b${words.join('[\\s-]+')}\\b`, 'i').test(name);
}

/**
 * The terminology coding of a concept, for resources argmed writes (a suggested MedicationRequest): the
 * first row of the table that maps to exactly this concept. Undefined when the table has none.
 */
export function codingFor(
  kind: ConceptKind,
  concept: string,
): { system: string; code: string; display: string } | undefined {
  const found = CODE_MAPPINGS.find(
    (m) => m.kind === kind && m.concepts.length === 1 && m.concepts[0] === concept,
  );
  return found ? { system: found.system, code: found.code, display: found.display } : undefined;
}
