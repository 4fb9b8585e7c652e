import { describe, expect, it } from 'vitest';
import { paraphraseFact } from '../../src/eval/faithfulness/paraphrase-facts.js';

describe('the fixed paraphrase of the stability probe', () => {
  it('rewords everyday phrasing and keeps the clinical content', () => {
    expect(paraphraseFact('72-year-old man presents with cough; eGFR 38 mL/min')).toBe(
      '72-yr-old man comes in with cough; eGFR of 38 mL/min',
    );
    expect(paraphraseFact('Presented with chest pain')).toBe('Came in with chest pain');
    expect(paraphraseFact('Is currently taking warfarin')).toBe('Is on warfarin');
    expect(paraphraseFact('Taking metformin 500 mg')).toBe('On metformin 500 mg');
    expect(paraphraseFact('Diagnosed with AF in 2019')).toBe('Given a diagnosis of AF in 2019');
    expect(paraphraseFact('eGFR: 24; QTc 520 ms; HbA1c is 8.1%')).toBe('eGFR of 24; QTc of 520 ms; HbA1c of 8.1%');
    expect(paraphraseFact('Her 74 year old father complains of gout')).toBe('Her 74 yr old father reports gout');
  });

  it('keeps negation, experiencer and time words where they were', () => {
    expect(paraphraseFact('No history of bleeding; not taking aspirin')).toBe('No history of bleeding; not on aspirin');
    expect(paraphraseFact('Mother was diagnosed with breast cancer in 2001')).toBe(
      'Mother was given a diagnosis of breast cancer in 2001',
    );
  });

  it('leaves a text with none of its phrasings unchanged', () => {
    const text = 'Community-acquired pneumonia, low severity (CURB-65 score 1).';
    expect(paraphraseFact(text)).toBe(text);
  });
});
