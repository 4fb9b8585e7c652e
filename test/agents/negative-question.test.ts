import { describe, expect, it } from 'vitest';
import { negativeCue } from '../../agents/negative-question.js';

describe('questions asked in the negative', () => {
  it('recognises the usual negative forms', () => {
    expect(negativeCue('Which drug should we avoid?')).toBe('avoid');
    expect(negativeCue('Which of these is contraindicated?')).toBe('contraindicated');
    expect(negativeCue('Which is the least appropriate analgesic?')).toBe('least appropriate');
    expect(negativeCue('All of the following may be used EXCEPT:')).toBe('EXCEPT');
    expect(negativeCue('Which anticoagulant is NOT appropriate?')).toBe('NOT');
    expect(negativeCue('Which drug would you not recommend?')).toBe('not');
    expect(negativeCue('Which antibiotic should not be given?')).toBe('not');
    expect(negativeCue('Which option is unsafe for this patient?')).toBe('inappropriate');
    expect(negativeCue('Which of these would be harmful here?')).toBe('inappropriate');
    expect(negativeCue('Which of these should be withheld in this patient?')).toBe('withhold');
    expect(negativeCue('Which drug would you stop?')).toBe('withhold');
    expect(negativeCue('Which one to discontinue before surgery?')).toBe('withhold');
    expect(negativeCue('Which is not advisable?')).toBe('not');
  });

  it('leaves positive questions that merely contain "not" alone', () => {
    expect(
      negativeCue('Given she is not pregnant, which oral antibiotic should be prescribed?'),
    ).toBeUndefined();
    expect(negativeCue('Which glucose-lowering drug should be started first?')).toBeUndefined();
    expect(negativeCue('Diet has not controlled her glucose - which agent should be started?')).toBeUndefined();
    expect(
      negativeCue('Metformin was stopped for nausea; which drug should be started instead?'),
    ).toBeUndefined();
    expect(negativeCue('Which anticoagulant should be started after stopping aspirin?')).toBeUndefined();
    expect(negativeCue('Should this patient start low-dose aspirin for primary prevention?')).toBeUndefined();
  });
});
