/**
 * The error of the knowledge back-end: a knowledge-base file that cannot be used. Its message names the file
 * and the field (`clinical-rules.yaml: indications/3/when/0: unknown concept "cap"`) so it can be fixed
 * without reading code.
 */

/** Stable codes of knowledge-base errors. */
export type KnowledgeErrorCode = 'ARGMED_KNOWLEDGE_INVALID';

/** A knowledge base that cannot be read, parsed or validated. */
export class KnowledgeBaseError extends Error {
  readonly code: KnowledgeErrorCode = 'ARGMED_KNOWLEDGE_INVALID';

  constructor(
    message: string,
    /** The offending file, as given by the caller. */
    readonly file: string,
  ) {
    super(message);
    this.name = 'KnowledgeBaseError';
  }
}
