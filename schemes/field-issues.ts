/**
 * How argmed words a value that failed validation, wherever it is met (the HTTP API, the CLI, the
 * configuration, stored rows, data sets, scheme and knowledge files, model answers): the field's path, its
 * steps joined by `/` as in the API's `errors[].path` (`body/facts/0/text`), then what is wrong. One notation,
 * so the same mistake reads the same in a problem+json body, a CLI line and a startup error. It imports
 * nothing and sits with the schemes, the lowest layer that validates files, so every layer can use it.
 */

/** One failing field: where (`facts/0/text`) and why. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A zod issue, as zod and fastify-type-provider-zod hand it over. */
export interface ZodIssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * A validation message as argmed shows it: zod's wording of a missing value ("Invalid input: expected
 * string, received undefined") becomes `missing (required)`; any other message is kept.
 */
export function issueMessage(message: string): string {
  return /^Invalid input: expected \w+, received undefined$/.test(message) ? 'missing (required)' : message;
}

/**
 * A zod issue as a field issue.
 * @param whole what to call the validated value itself, when the issue is about it and not one of its fields
 * @example fieldIssueOf({ path: ['facts', 0, 'text'], message: 'Too small' }) // { path: 'facts/0/text', … }
 */
export function fieldIssueOf(issue: ZodIssueLike, whole = '(root)'): FieldIssue {
  const path = issue.path.length > 0 ? issue.path.map(String).join('/') : whole;
  return { path, message: issueMessage(issue.message) };
}

/** Issues in one line: `facts/0/text: Too small; question: missing (required)`. */
export function issuesText(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}
