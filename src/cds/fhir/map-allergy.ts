/**
 * AllergyIntolerance -> a fact for each that holds (clinicalStatus active or absent; never refuted,
 * entered in error or resolved), with the substance, reactions, severity and criticality, and concept codes
 * such as `penicillin-allergy` (plus `intolerance` when the record is an intolerance, not an allergy).
 */
import { conceptsOf, conceptText, rawCodes } from './concept-map.js';
import { statusCode } from './map-condition.js';
import type { AllergyIntolerance, CdsFact } from './types.js';

/** True when the allergy or intolerance holds now. */
export function isActiveAllergy(allergy: AllergyIntolerance): boolean {
  const clinical = statusCode(allergy.clinicalStatus);
  const verification = statusCode(allergy.verificationStatus);
  if (verification === 'refuted' || verification === 'entered-in-error') return false;
  return clinical === undefined || clinical === 'active';
}

/** @param allergy the resource. @param source its reference. @param index its rank among the facts. */
export function allergyFact(allergy: AllergyIntolerance, source: string, index: number): CdsFact | undefined {
  if (!isActiveAllergy(allergy)) return undefined;
  const substance = conceptText(allergy.code);
  if (!substance) return undefined;
  const kind = allergy.type === 'intolerance' ? 'Intolerance' : 'Allergy';
  const details: string[] = [];
  const reactions = (allergy.reaction ?? [])
    .flatMap((reaction) =>
      (reaction.manifestation ?? []).map((m) => {
        const name = conceptText(m);
        return name && reaction.severity ? `${name} (${reaction.severity})` : name;
      }),
    )
    .filter((name): name is string => Boolean(name));
  if (reactions.length > 0) details.push(`reaction: ${reactions.join(', ')}`);
  if (allergy.criticality) details.push(`criticality ${allergy.criticality}`);
  if (statusCode(allergy.verificationStatus) === 'unconfirmed') details.push('unconfirmed');
  const codes = [...conceptsOf('allergy', allergy.code), ...rawCodes(allergy.code)];
  if (allergy.type === 'intolerance') codes.push('intolerance');
  return {
    id: `allergy-${index + 1}`,
    text: `${kind}: ${substance}${details.length ? `; ${details.join('; ')}` : ''}.`,
    codes,
    source,
  };
}
