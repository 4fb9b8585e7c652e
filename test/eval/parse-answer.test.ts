import { describe, expect, it } from 'vitest';
import { parseAnswer, stripAnswer } from '../../src/eval/methods/parse-answer.js';

const abcd = [
  { id: 'A', text: 'Amoxicillin' },
  { id: 'B', text: 'Doxycycline' },
  { id: 'C', text: 'Amoxicillin and clavulanate' },
  { id: 'D', text: 'No antibiotic' },
];
const ynm = [
  { id: 'yes', text: 'yes' },
  { id: 'no', text: 'no' },
  { id: 'maybe', text: 'maybe' },
];

describe('parseAnswer', () => {
  it.each([
    ['B', 'B', 'letter'],
    ['(C)', 'C', 'letter'],
    ['Answer: D', 'D', 'letter'],
    ['Let us think. A is wrong because ... so the final answer is (B).', 'B', 'letter'],
    ['Answer: **C**. Amoxicillin and clavulanate', 'C', 'letter'],
    ['The answer is amoxicillin and clavulanate', 'C', 'text'],
    ['Doxycycline', 'B', 'text'],
    ['Answer: a', 'A', 'letter'],
  ])('%j -> %s', (text, answer, parsedBy) => {
    expect(parseAnswer(text, abcd)).toEqual({ answer, parsedBy });
  });

  it('takes the last explicit answer statement', () => {
    expect(parseAnswer('Answer: A is tempting.\nOn reflection...\nFinal answer: B', abcd).answer).toBe('B');
  });

  it('reads yes/no/maybe', () => {
    expect(parseAnswer('Answer: yes', ynm)).toEqual({ answer: 'yes', parsedBy: 'label' });
    expect(parseAnswer('The evidence is mixed.\nAnswer: Maybe.', ynm).answer).toBe('maybe');
    expect(parseAnswer('no', ynm).answer).toBe('no');
  });

  it('gives up on text that names no option', () => {
    expect(parseAnswer('I cannot decide without more information about the patient.', abcd)).toEqual({
      parsedBy: 'none',
    });
    expect(parseAnswer('', abcd)).toEqual({ parsedBy: 'none' });
    expect(parseAnswer('{"garbage": true', ynm)).toEqual({ parsedBy: 'none' });
  });

  it('does not mistake the article "a" for option A', () => {
    expect(parseAnswer('a patient with fever', abcd)).toEqual({ parsedBy: 'none' });
  });
});

describe('stripAnswer', () => {
  it('removes the answer statement and keeps the reasoning', () => {
    expect(stripAnswer('Penicillin allergy rules out A.\nAnswer: B')).toBe('Penicillin allergy rules out A.');
  });
});
