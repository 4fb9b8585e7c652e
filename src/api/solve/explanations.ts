/**
 * The `explanations` of a solve answer: why each asked-for argument has its label. An argument asked for
 * twice is explained once; a name the framework does not have is a 400 naming its field.
 */
import {
  defeaterOf,
  type Framework,
  type GroundedLabelling,
  justification,
  undecidedAttackers,
} from '../../../solver/index.js';
import { invalidField } from './invalid-field.js';
import { type Explanation, MAX_EXPLANATION_ENTRIES } from './schemas.js';

/**
 * The JSON of the explanations object, keyed by argument name in the order asked.
 * @param field the request field the names came from (`body/explain`, `query/explain`), for errors
 * @throws ApiError ARGMED_INVALID_FRAMEWORK naming `field/i` for an unknown argument, or `field` when the
 *   explanations together would list more than MAX_EXPLANATION_ENTRIES steps
 */
export function writeExplanations(
  framework: Framework,
  labelling: GroundedLabelling,
  explain: readonly string[],
  field: string,
): string {
  const seen = new Set<string>();
  const entries: string[] = [];
  let listed = 0;
  explain.forEach((name, i) => {
    const arg = framework.idOf(name);
    if (arg === undefined) invalidField(`${field}/${i}`, `"${name}" is not an argument of the framework`);
    if (seen.has(name)) return;
    seen.add(name);
    const explanation = explainOne(framework, labelling, arg);
    listed += (explanation.justification?.length ?? 0) + (explanation.undecidedAttackers?.length ?? 0);
    if (listed > MAX_EXPLANATION_ENTRIES) {
      invalidField(
        field,
        `the explanations asked for would list more than ${MAX_EXPLANATION_ENTRIES} steps; ask for fewer arguments`,
      );
    }
    entries.push(`${JSON.stringify(name)}:${JSON.stringify(explanation)}`);
  });
  return `{${entries.join(',')}}`;
}

function explainOne(framework: Framework, labelling: GroundedLabelling, arg: number): Explanation {
  const label = labelling.label(arg);
  const name = (a: number) => framework.nameOf(a);
  if (label === 'IN') {
    const steps = justification(framework, labelling, arg);
    return {
      label,
      justification: steps.map((s) => ({ attacker: name(s.attacker), defeater: name(s.defeater) })),
    };
  }
  if (label === 'OUT') {
    const defeater = defeaterOf(framework, labelling, arg);
    return { label, defeater: defeater === undefined ? undefined : name(defeater) };
  }
  return { label, undecidedAttackers: undecidedAttackers(framework, labelling, arg).map(name) };
}
