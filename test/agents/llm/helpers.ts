/**
 * Shared fixtures of the openai back-end tests: schemes built with SchemeSchema, a case, client settings
 * pointing at the local mock server, and answers that satisfy the scheme-derived output schemas.
 */
import { type Case, CaseSchema, normaliseFacts } from '../../../agents/case.js';
import type { LlmClientOptions } from '../../../agents/llm/types.js';
import type { AgentFailure, Argument, LlmCallRecord } from '../../../agents/types.js';
import { createRegistry } from '../../../schemes/load.js';
import { type Scheme, SchemeSchema } from '../../../schemes/types.js';

export const ASDM: Scheme = SchemeSchema.parse({
  id: 'ASDM',
  title: 'Decision making',
  yields: 'decision',
  variables: [
    { name: 'F', description: 'patient facts' },
    { name: 'G', description: 'goal' },
    { name: 'D', description: 'decision' },
  ],
  premises: [
    { id: 'facts', text: 'The patient presents with {F}.' },
    { id: 'goal', text: 'The clinical goal is {G}.' },
    { id: 'promotes', text: '{D} promotes {G}.' },
  ],
  conclusion: '{D} should be considered.',
  criticalQuestions: [
    { id: 'facts-hold', text: 'Do the facts {F} hold?', targets: 'facts', counterScheme: 'FACT' },
    {
      id: 'side-effects',
      text: 'Does {D} have unacceptable side effects?',
      targets: 'conclusion',
      counterScheme: 'ASSE',
    },
  ],
});

export const ASSE: Scheme = SchemeSchema.parse({
  id: 'ASSE',
  title: 'Side effects',
  yields: 'belief',
  variables: [
    { name: 'D', description: 'decision' },
    { name: 'S', description: 'side effect' },
  ],
  premises: [
    { id: 'effect', text: '{D} has the side effect {S}.' },
    { id: 'unacceptable', text: '{S} is unacceptable for this patient.' },
  ],
  conclusion: '{D} should not be chosen.',
  criticalQuestions: [
    { id: 'mitigation', text: 'Can {S} be mitigated?', targets: 'unacceptable', counterScheme: 'MITIG' },
  ],
});

export const ASBD: Scheme = SchemeSchema.parse({
  id: 'ASBD',
  title: 'Better decision',
  yields: 'belief',
  variables: [
    { name: 'better', description: 'better option id' },
    { name: 'worse', description: 'worse option id' },
    { name: 'C', description: 'criterion' },
  ],
  premises: [{ id: 'comparison', text: '{better} achieves the goal better than {worse} on {C}.' }],
  conclusion: '{better} should be chosen rather than {worse}.',
});

export const SCHEMES = createRegistry([ASDM, ASSE, ASBD]);

export const KASE: Case = CaseSchema.parse({
  id: 'pneumonia-1',
  question: 'Which antibiotic should be started?',
  facts: ['Community-acquired pneumonia', { id: 'allergy', text: 'Anaphylaxis to penicillin' }],
  options: [
    { id: 'A', text: 'Amoxicillin' },
    { id: 'B', text: 'Doxycycline' },
  ],
  goal: 'cure the pneumonia',
});

export const FACTS = normaliseFacts(KASE.facts);

/** Client settings for the mock: fast backoff; a timeout generous for a loaded CI machine (tests of
 * timeouts set their own). */
export function clientOptions(url: string, overrides: Partial<LlmClientOptions> = {}): LlmClientOptions {
  return {
    baseURL: url,
    model: 'mock-model',
    structuredMethod: 'jsonSchema',
    timeoutMs: 10_000,
    maxRetries: 2,
    concurrency: 4,
    retry: { baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5_000 },
    ...overrides,
  };
}

/** A valid ASDM argument answer for an option. */
export function decisionAnswer(option: string, decision: string) {
  return {
    option,
    reason: `Fact f1 states community-acquired pneumonia, which ${decision} treats.`,
    variables: { F: 'community-acquired pneumonia', G: 'cure the pneumonia', D: decision },
    premises: {
      facts: 'The patient presents with community-acquired pneumonia.',
      goal: 'The clinical goal is to cure the pneumonia.',
      promotes: `${decision} promotes cure of the pneumonia.`,
    },
    conclusion: `${decision} should be considered.`,
    text: `${decision} treats community-acquired pneumonia.`,
    facts: ['f1'],
  };
}

export const PROPOSE_ANSWER = {
  arguments: [decisionAnswer('A', 'Amoxicillin'), decisionAnswer('B', 'Doxycycline')],
};

export const VERIFY_ANSWER = {
  verdicts: {
    'facts-hold': { reason: 'Fact f1 states the pneumonia.', challenge: 'no' },
    'side-effects': { reason: 'Anaphylaxis to penicillin (allergy) rules out amoxicillin.', challenge: 'yes' },
  },
};

export const COUNTER_ANSWER = {
  reason: 'The allergy fact records anaphylaxis to penicillin, and amoxicillin is a penicillin.',
  answer: 'argument',
  argument: {
    variables: { D: 'Amoxicillin', S: 'anaphylaxis' },
    premises: {
      effect: 'Amoxicillin can cause anaphylaxis.',
      unacceptable: 'Anaphylaxis is unacceptable: prior anaphylaxis.',
    },
    conclusion: 'Amoxicillin should not be chosen.',
    text: 'Amoxicillin risks anaphylaxis in a patient with penicillin anaphylaxis.',
    facts: ['allergy'],
  },
};

export const COMPARE_ANSWER = {
  reason: 'Both treat the pneumonia; with the penicillin allergy doxycycline is the safer of the two.',
  answer: 'better',
  comparisons: [
    {
      better: 'B',
      worse: 'A',
      variables: { C: 'safety' },
      premises: { comparison: 'B achieves the goal better than A on safety.' },
      conclusion: 'B should be chosen rather than A.',
      text: 'Doxycycline is safer than amoxicillin for this patient.',
      facts: ['allergy'],
    },
  ],
};

/** An argument in the graph, as the engine would pass it. */
export function decisionArgument(option: 'A' | 'B', id = `a-${option}`): Argument {
  const answer = decisionAnswer(option, option === 'A' ? 'Amoxicillin' : 'Doxycycline');
  return {
    id,
    round: 0,
    agent: 'generator',
    scheme: 'ASDM',
    kind: 'decision',
    option,
    variables: answer.variables,
    premises: Object.values(answer.premises),
    conclusion: answer.conclusion,
    text: answer.text,
    facts: answer.facts,
  };
}

/** Collects what an agent call records. */
export function recorder() {
  const calls: LlmCallRecord[] = [];
  const failures: AgentFailure[] = [];
  return {
    calls,
    failures,
    context: {
      kase: KASE,
      facts: FACTS,
      recordCall: (call: LlmCallRecord) => calls.push(call),
      recordFailure: (failure: AgentFailure) => failures.push(failure),
    },
  };
}

/** Resolves once `condition` holds (polled every 5 ms), or after `timeoutMs` whatever it says. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}
