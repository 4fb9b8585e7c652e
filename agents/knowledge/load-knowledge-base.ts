/**
 * Reads a knowledge base from a YAML or JSON file (YAML is a superset of JSON, so one parser serves both)
 * and validates it against `KnowledgeBaseSchema`, cross-references included.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
// js-yaml (YAML 1.2 core schema) parses the shipped schemes and knowledge base in about 40 ms of CPU at start,
// the `yaml` package in about 200 ms (cold code; `npm run bench:startup`).
import { load as parseYaml } from 'js-yaml';
import { fieldIssueOf, issuesText } from '../../schemes/field-issues.js';
import { packageRoot } from '../../schemes/package-root.js';
import { KnowledgeBaseError } from './knowledge-error.js';
import { type KnowledgeBase, KnowledgeBaseSchema } from './types.js';

/**
 * Validates an already parsed knowledge-base document.
 * @param document the parsed YAML/JSON value.
 * @param name how to call its origin in errors (a file name).
 * @throws KnowledgeBaseError naming `name` and every invalid field's path.
 */
export function parseKnowledgeBase(document: unknown, name = 'knowledge base'): KnowledgeBase {
  const parsed = KnowledgeBaseSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const issues = issuesText(parsed.error.issues.slice(0, 10).map((issue) => fieldIssueOf(issue)));
  const more = parsed.error.issues.length > 10 ? ` (and ${parsed.error.issues.length - 10} more)` : '';
  throw new KnowledgeBaseError(`${name}: ${issues}${more}`, name);
}

/**
 * Loads and validates a knowledge-base file.
 * @param file path to a `.yaml`, `.yml` or `.json` file.
 * @throws KnowledgeBaseError (`ARGMED_KNOWLEDGE_INVALID`) when the file cannot be read, is not valid
 *   YAML/JSON, or violates the format; the message starts with the file name.
 * @example const kb = await loadKnowledgeBase('examples/knowledge/clinical-rules.yaml');
 */
export async function loadKnowledgeBase(file: string): Promise<KnowledgeBase> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new KnowledgeBaseError(`${file}: cannot read the knowledge base (${code})`, file);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KnowledgeBaseError(`${file}: cannot parse: ${detail}`, file);
  }
  return parseKnowledgeBase(document, file);
}

/** The example knowledge base shipped with the package (`examples/knowledge/clinical-rules.yaml`). */
export function defaultKnowledgeBasePath(): string {
  return path.join(packageRoot(), 'examples', 'knowledge', 'clinical-rules.yaml');
}
