import { describe, expect, it } from 'vitest';
import type { NormalisedFact } from '../../../agents/case.js';
import {
  factStates,
  matchConcept,
  measuredValues,
  mentions,
  readFact,
} from '../../../agents/knowledge/match-concept.js';
import type { Concept } from '../../../agents/knowledge/types.js';

const fact = (text: string, codes: string[] = [], id = 'f1'): NormalisedFact => ({ id, text, codes });
const concept = (c: Partial<Concept> & { id: string; label: string }): Concept => ({
  synonyms: [],
  codes: [],
  patterns: [],
  tests: [],
  cues: [],
  ruledOutBy: [],
  ruledOutByPatterns: [],
  timing: 'any',
  ...c,
});

const allergy = concept({
  id: 'penicillin-allergy',
  label: 'penicillin allergy',
  synonyms: ['allergic to penicillin'],
  codes: ['91936005'],
});
const diabetes = concept({ id: 'type-2-diabetes', label: 'type 2 diabetes', synonyms: ['diabetic'] });
const lowEgfr = concept({
  id: 'egfr-below-30',
  label: 'eGFR below 30',
  measure: { names: ['eGFR'], lt: 30 },
});
const old = concept({
  id: 'age-60',
  label: 'age 60 or over',
  measure: { names: ['age', 'year-old'], gte: 60 },
});
const chads = concept({
  id: 'chads',
  label: 'CHA2DS2-VASc 2+',
  measure: { names: ['CHA2DS2-VASc'], gte: 2 },
});

describe('concept matching', () => {
  it('matches by code, case-insensitively, including the concept id itself', () => {
    expect(factStates(fact('see allergy list', ['PENICILLIN-ALLERGY']), allergy)).toBe(true);
    expect(factStates(fact('see allergy list', ['91936005']), allergy)).toBe(true);
    expect(factStates(fact('see allergy list', ['other']), allergy)).toBe(false);
  });

  it('matches labels and synonyms as whole phrases, any case and spacing', () => {
    expect(factStates(fact('Known PENICILLIN   allergy (rash).'), allergy)).toBe(true);
    expect(factStates(fact('She is allergic to penicillin.'), allergy)).toBe(true);
    expect(factStates(fact('penicillin allergyx'), allergy)).toBe(false);
    expect(factStates(fact('non-diabetic'), diabetes)).toBe(false);
    expect(factStates(fact('Type 2 diabetes since 2015'), diabetes)).toBe(true);
  });

  it('ignores negated mentions within the clause, but not after the clause ends', () => {
    expect(factStates(fact('No known penicillin allergy.'), allergy)).toBe(false);
    expect(factStates(fact('Denies penicillin allergy'), allergy)).toBe(false);
    expect(factStates(fact('Negative for penicillin allergy on testing'), allergy)).toBe(false);
    expect(factStates(fact('No fever. Penicillin allergy (anaphylaxis).'), allergy)).toBe(true);
    expect(factStates(fact('no rash today but penicillin allergy recorded'), allergy)).toBe(true);
    // Codes are trusted: never negated.
    expect(factStates(fact('No known penicillin allergy', ['penicillin-allergy']), allergy)).toBe(true);
    // Question topics may be negated mentions and still count.
    expect(mentions('not pneumonia?', 'pneumonia', true)).toBe(true);
  });

  it('reads measured values after or before their name', () => {
    expect(measuredValues('eGFR 24 mL/min', ['eGFR'])).toEqual([24]);
    expect(measuredValues('eGFR of 24.5', ['eGFR'])).toEqual([24.5]);
    expect(measuredValues('72-year-old man', ['year-old'])).toEqual([72]);
    expect(factStates(fact('eGFR 24 mL/min/1.73 m2'), lowEgfr)).toBe(true);
    expect(factStates(fact('eGFR 78 mL/min/1.73 m2'), lowEgfr)).toBe(false);
    expect(factStates(fact('A 72-year-old man'), old)).toBe(true);
    expect(factStates(fact('Age: 45'), old)).toBe(false);
    expect(factStates(fact('Stage 4 CKD'), old)).toBe(false);
    expect(factStates(fact('CHA2DS2-VASc score 3'), chads)).toBe(true);
    expect(factStates(fact('CHA2DS2-VASc score 1'), chads)).toBe(false);
  });

  it('returns the ids of all facts that state a concept, in case order', () => {
    const facts = [
      fact('allergic to penicillin', [], 'a'),
      fact('nothing', [], 'b'),
      fact('x', ['penicillin-allergy'], 'c'),
    ];
    expect(matchConcept(facts, allergy)).toEqual(['a', 'c']);
  });
});

describe('concept matching on long texts', () => {
  it('stays fast on a long fact full of negated mentions', () => {
    const text = 'no penicillin allergy; '.repeat(350);
    const facts = Array.from({ length: 50 }, (_, i) => fact(text, [], `f${i}`));
    const started = performance.now();
    expect(matchConcept(facts, allergy)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('concept matching in context (ConText)', () => {
  const pregnancy = concept({
    id: 'pregnancy',
    label: 'pregnancy',
    synonyms: ['pregnant'],
    timing: 'current',
    measure: { names: ["weeks' gestation", 'weeks pregnant'], gte: 1, lte: 44 },
    cues: ['gestation', 'LMP'],
  });
  const valve = concept({
    id: 'mechanical-heart-valve',
    label: 'mechanical heart valve',
    synonyms: ['mechanical valve', 'metallic valve', 'On-X'],
    cues: ['valve', 'prosthetic'],
    ruledOutBy: ['non-valvular'],
  });
  const read = (text: string, c: Concept, allergens: string[] = []) => readFact(fact(text), c, allergens);

  it('reads other people, history, hypotheticals and uncertainty apart from the patient now', () => {
    expect(read('Her father has a mechanical valve.', valve)).toBe('silent');
    expect(read('Her sister is pregnant.', pregnancy)).toBe('silent');
    expect(read('Pregnant in 2015, now post-partum.', pregnancy)).toBe('silent');
    expect(read('Planning pregnancy next year.', pregnancy)).toBe('silent');
    expect(read('Possible pregnancy, test pending.', pregnancy)).toBe('unclear');
    expect(read('Negative pregnancy test.', pregnancy)).toBe('absent');
    expect(read('No history of myocardial infarction, stroke or mechanical valve.', valve)).toBe('absent');
    expect(read('No fever, has a mechanical valve.', valve)).toBe('present');
  });

  it('finds phrases with words between, measures with comparators, exclusions and cue words', () => {
    expect(read('Metallic mitral valve prosthesis (On-X).', valve)).toBe('present');
    expect(read('Mechanical bileaflet aortic valve.', valve)).toBe('present');
    expect(read("31-year-old at 28 weeks' gestation.", pregnancy)).toBe('present');
    expect(read('Non-valvular AF.', valve)).toBe('absent');
    expect(read('Prosthetic mitral valve, type unknown.', valve)).toBe('unclear');
  });

  it('lets an exclusion speak for its own phrase only, not for another device named in the fact', () => {
    const valves = {
      ...valve,
      cues: ['valve', 'valves', 'prosthesis', 'AVR'],
      ruledOutBy: ['non-valvular', 'bioprosthetic', 'native valves'],
    };
    expect(read('Bioprosthetic (porcine) aortic valve since 2018.', valves)).toBe('absent');
    expect(read('Aortic valve: bioprosthetic.', valves)).toBe('absent');
    expect(read('Echo: native valves, no prosthesis.', valves)).toBe('absent');
    // Regression: a double valve replacement read as ruled out by its tissue valve, so a DOAC was decided.
    expect(read('Mitral valve: bioprosthetic 2015; AVR (mechanical) 2009.', valves)).toBe('unclear');
    expect(read('AVR (mechanical) and bioprosthetic MVR.', valves)).toBe('unclear');
    expect(read('Previously labelled non-valvular; AVR (mechanical) 2020.', valves)).toBe('unclear');
    expect(read('LMP 9 weeks ago.', pregnancy)).toBe('unclear');
    expect(measuredValues('eGFR <30 mL/min', ['eGFR'])[0]).toBeLessThan(30);
    expect(factStates(fact('eGFR <30'), lowEgfr)).toBe(true);
    expect(
      factStates(
        fact('Glomerular filtration rate/1.73 sq M: 58'),
        concept({ id: 'g', label: 'g', measure: { names: ['glomerular filtration rate'], lt: 30 } }),
      ),
    ).toBe(false);
  });

  it('reads an allergy to any member of a class, with a reaction word in the same clause', () => {
    const allergens = ['penicillin', 'amoxicillin', 'co-amoxiclav', 'Augmentin'];
    const penicillinAllergy = concept({ id: 'pa', label: 'penicillin allergy' });
    expect(read('Anaphylaxis to co-amoxiclav in 2018.', penicillinAllergy, allergens)).toBe('present');
    expect(read('Allergies: Augmentin (rash).', penicillinAllergy, allergens)).toBe('present');
    expect(read('Took amoxicillin last year. Rash from sulfa drugs.', penicillinAllergy, allergens)).toBe(
      'silent',
    );
    expect(read('His mother has a penicillin allergy.', penicillinAllergy, allergens)).toBe('silent');
    // Read in the context of the reaction word as well as the drug: a removed label is no allergy.
    expect(
      read(
        'Penicillin allergy label removed after a negative oral amoxicillin challenge.',
        penicillinAllergy,
        allergens,
      ),
    ).toBe('absent');
    expect(read('Her mother reacted to amoxicillin with a rash.', penicillinAllergy, allergens)).toBe(
      'silent',
    );
  });

  it('reads hyphen and space alike, and American spellings of British terms', () => {
    const starr = concept({ id: 'v', label: 'valve', synonyms: ['Starr-Edwards', 'caged ball valve'] });
    expect(read('Starr Edwards mitral valve.', starr)).toBe('present');
    expect(read('Caged-ball valve (1998).', starr)).toBe('present');
    const bleeding = concept({
      id: 'b',
      label: 'bleeding',
      synonyms: ['melaena', 'haematuria', 'oesophageal varices'],
    });
    for (const text of ['Melena since yesterday.', 'Frank hematuria.', 'Esophageal varices.', 'Haematuria.'])
      expect(read(text, bleeding), text).toBe('present');
    // Abbreviations are taken as written.
    expect(read('AE reported.', concept({ id: 'x', label: 'AED' }))).toBe('silent');
  });

  it('reads a qualitative test by its result', () => {
    const pregnant = concept({
      id: 'p',
      label: 'pregnancy',
      tests: ['pregnancy test', 'beta-hCG'],
      timing: 'current',
    });
    expect(read('Urine beta hCG positive this morning.', pregnant)).toBe('present');
    expect(read('Pregnancy test: +ve.', pregnant)).toBe('present');
    // A sign before the name ("+ve bHCG") has no word boundary before it after a space.
    expect(read('28 yo F, +ve beta-hCG in ED.', pregnant)).toBe('present');
    expect(read('-ve pregnancy test today.', pregnant)).toBe('absent');
    expect(read('Positive pregnancy test.', pregnant)).toBe('present');
    expect(read('Beta-hCG not detected.', pregnant)).toBe('absent');
    expect(read('Negative pregnancy test today.', pregnant)).toBe('absent');
    expect(read('Beta-hCG sent.', pregnant)).toBe('unclear');
    expect(read('Pregnancy test pending.', pregnant)).toBe('unclear');
    expect(read('Her sister had a positive pregnancy test.', pregnant)).toBe('silent');
  });

  it('reads a relative as the subject of a clause, unless the patient is named after it', () => {
    expect(read('Grandmother died of a brain haemorrhage.', concept({ id: 'h', label: 'haemorrhage' }))).toBe(
      'silent',
    );
    expect(read('Father had an MI at 50.', concept({ id: 'mi', label: 'MI' }))).toBe('silent');
    expect(read('Wife reports he has melaena.', concept({ id: 'm', label: 'melaena' }))).toBe('present');
    expect(read('Mother of two with a mechanical valve.', valve)).toBe('present');
  });

  it('reads a question mark before a finding as uncertain, and a method after a measure name', () => {
    expect(read('Chest tightness, ? angina.', concept({ id: 'a', label: 'angina' }))).toBe('unclear');
    expect(read('Chest tightness, ?angina.', concept({ id: 'a', label: 'angina' }))).toBe('unclear');
    expect(measuredValues('estimated GFR (CKD-EPI) 26', ['estimated GFR'])).toEqual([26]);
    expect(measuredValues('QTc (Bazett) 498 ms', ['QTc'])).toEqual([498]);
  });
});
