/**
 * Takes the resources of one type out of a prefetch value (a single resource or a searchset Bundle) and
 * checks them against their schema. Other resource types in a Bundle are skipped only where a search puts
 * them (`search.mode` `include` or `outcome`, or an OperationOutcome), or where the Bundle mixes types by
 * design (`others: 'skip'`, the draft orders); otherwise an entry of another type, or without a resource, is
 * a 400: skipped, it made an allergy Bundle holding a Patient read as "no allergies". A resource of the wanted
 * type that breaks the schema is a 400 naming the member at fault.
 */
import type { z } from 'zod';
import { issueMessage } from '../../../schemes/field-issues.js';
import { CdsError } from '../cds-error.js';
import type { FhirResource } from '../types.js';

/**
 * Most resources of one type read from one prefetch value: far above a real chart (the body limit of the
 * CDS routes bounds it anyway), low enough to refuse a pathological request instead of working on it.
 */
export const MAX_RESOURCES = 20_000;

/**
 * @param value the prefetch value (or the draft-order Bundle).
 * @param type the wanted `resourceType`.
 * @param schema its schema.
 * @param path where the value sits in the request (`prefetch.allergies`), for error messages.
 * @param others what to do with a Bundle entry of another type that no search put there: refuse (default).
 * @returns the resources with the path of each.
 * @throws CdsError `ARGMED_CDS_INVALID_FHIR` naming the bad member.
 */
export function resourcesOf<S extends z.ZodType>(
  value: FhirResource | null | undefined,
  type: string,
  schema: S,
  path: string,
  others: 'refuse' | 'skip' = 'refuse',
): Array<{ resource: z.output<S>; path: string }> {
  if (!value) return [];
  const candidates: Array<{ resource: unknown; path: string }> = [];
  if (value.resourceType === 'Bundle') {
    const entries = (value as { entry?: unknown }).entry;
    if (entries !== undefined && !Array.isArray(entries)) {
      throw new CdsError('ARGMED_CDS_INVALID_FHIR', `${path}.entry must be an array`, `${path}.entry`);
    }
    (entries ?? []).forEach((entry: unknown, index: number) => {
      const { resource, search } = (entry ?? {}) as {
        resource?: { resourceType?: unknown };
        search?: { mode?: unknown };
      };
      const at = `${path}.entry[${index}].resource`;
      if (resource?.resourceType === type) candidates.push({ resource, path: at });
      else if (others === 'skip') return;
      else if (resource === undefined || resource === null || typeof resource !== 'object') {
        throw new CdsError('ARGMED_CDS_INVALID_FHIR', `${at}: missing (a search result entry holds its resource)`, at);
      } else if (
        search?.mode !== 'include' &&
        search?.mode !== 'outcome' &&
        resource.resourceType !== 'OperationOutcome'
      ) {
        throw new CdsError(
          'ARGMED_CDS_INVALID_FHIR',
          `${at}.resourceType: expected ${type}, got ${JSON.stringify(String(resource.resourceType).slice(0, 64))}`,
          `${at}.resourceType`,
        );
      }
    });
  } else if (value.resourceType === type) {
    candidates.push({ resource: value, path });
  } else {
    // A Practitioner sent as `patient` was silently dropped: the case was argued without the patient.
    throw new CdsError(
      'ARGMED_CDS_INVALID_FHIR',
      `${path}.resourceType: expected ${type} (or a Bundle of ${type} resources), got ${JSON.stringify(String(value.resourceType).slice(0, 64))}`,
      `${path}.resourceType`,
    );
  }
  if (candidates.length > MAX_RESOURCES) {
    throw new CdsError(
      'ARGMED_CDS_INVALID_FHIR',
      `${path} holds more than ${MAX_RESOURCES} ${type} resources`,
      path,
    );
  }
  return candidates.map(({ resource, path: at }) => {
    const parsed = schema.safeParse(resource);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // The CDS layer names fields as FHIR locations (`context.draftOrders.entry[0].resource`), not as paths.
      const member = [at, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))]
        .join('')
        .replace(/\.\[/g, '[');
      throw new CdsError('ARGMED_CDS_INVALID_FHIR', `${member}: ${issueMessage(issue.message)}`, member);
    }
    return { resource: parsed.data, path: at };
  });
}

/** The relative reference of a resource (`Condition/123`), or its place in the request when it has no id. */
export function referenceOf(resource: { resourceType: string; id?: string }, path: string): string {
  return resource.id ? `${resource.resourceType}/${resource.id}` : path;
}
