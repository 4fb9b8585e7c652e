/**
 * What the knowledge back-end concludes about one argument: a finding for each critical question it can
 * answer, and for a failed one the counter-argument to build. The verifier reports the verdicts and the
 * generator builds the counter from the same finding, so a counter always matches its verdict.
 */
import type { Scheme } from '../../schemes/types.js';
import type { ArgumentDraft } from '../types.js';

/** A counter-argument (or decision argument) before it is worded through its scheme's templates. */
export interface DraftSpec {
  /** The scheme id it instantiates; a counter is only built when this is the question's counter-scheme. */
  scheme: string;
  kind: ArgumentDraft['kind'];
  option?: string;
  /** Values bound to the scheme's variables (ids where the knowledge base needs to look them up again). */
  variables: Record<string, string>;
  /** Readable values for the premise and conclusion templates, by variable name (defaults: `variables`). */
  display: Record<string, string>;
  text: string;
  facts: string[];
  source?: string;
}

/** The answer to one critical question: verdict, reason, and the counter-argument of a failure. */
export interface Finding {
  verdict: 'pass' | 'fail' | 'unknown';
  reason: string;
  /** For `unknown`: what would settle it, for a clinician. */
  settle?: string;
  /** For `unknown`: ids of the facts it turns on (read but not understood). */
  facts?: string[];
  /** For a failed question: the counter-argument. */
  counter?: DraftSpec;
  /** Labels of the concepts the answer takes as absent because no fact mentions them. */
  assumedAbsent?: string[];
}

/** Findings by critical-question id. */
export type Assessment = Record<string, Finding>;

/** Replaces `{X}` with `values.X`; unknown names stay as they are. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9_-]*)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * Words a draft through its scheme: premises in the scheme's order and the conclusion, with readable values.
 * @param spec the draft; @param scheme the scheme it instantiates (templates come from the scheme file).
 */
export function toDraft(spec: DraftSpec, scheme: Scheme): ArgumentDraft {
  const values = { ...spec.variables, ...spec.display };
  return {
    scheme: scheme.id,
    kind: spec.kind,
    ...(spec.option !== undefined ? { option: spec.option } : {}),
    variables: { ...spec.variables },
    premises: scheme.premises.map((premise) => fill(premise.text, values)),
    conclusion: fill(scheme.conclusion, values),
    text: spec.text,
    facts: [...spec.facts],
    ...(spec.source !== undefined ? { source: spec.source } : {}),
  };
}
