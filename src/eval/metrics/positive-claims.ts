/**
 * Which arguments state a positive claim: something the reasoning asserts about the patient or the
 * options, as opposed to a statement of absence or doubt ("It is not established that X: the knowledge
 * base cannot assess it", "Fact f3 does not state ...", "No strong preference ..."). Absence statements
 * repeat the option or question text, so token overlap with a reference explanation rewards them for
 * echoing it (on CasiMedicos-Arg, "It is not established that <option> ..." nodes matched doctors' claims
 * on 67 of 115 items at 0% accuracy). Reference and claim agreement are computed over positive claims only.
 */
import type { ArgumentNode } from '../../engine/types.js';

/** Schemes whose arguments only record what could not be established. */
const DOUBT_SCHEMES = new Set(['EVID']);

const ABSENCE = [
  /^\W*it is not established that\b/i,
  /\bcannot (?:be )?assess/i,
  /\bholds no rule\b/i,
  /\bdoes not state\b/i,
  /\b(?:is|are) not stated\b/i,
  /^\W*no strong preference\b/i,
  /\brests on no finding\b/i,
  /\bnames no treatment\b/i,
  /\b(?:unknown|not assessed)\W*$/i,
];

/** True when `text` asserts something rather than recording an absence or a doubt. O(|text|). */
export function isPositiveStatement(text: string): boolean {
  return text.trim().length > 0 && !ABSENCE.some((pattern) => pattern.test(text));
}

/** True when the argument states a positive claim (its scheme records no doubt and its text asserts). */
export function isPositiveArgument(node: Pick<ArgumentNode, 'scheme' | 'text'>): boolean {
  return !DOUBT_SCHEMES.has(node.scheme) && isPositiveStatement(node.text);
}
