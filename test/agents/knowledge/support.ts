/** Helpers shared by the knowledge back-end tests: example cases, the shipped schemes and knowledge base. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Case, CaseSchema, normaliseFacts } from '../../../agents/case.js';
import {
  createKnowledgeBackend,
  defaultKnowledgeBasePath,
  loadKnowledgeBase,
} from '../../../agents/knowledge/index.js';
import type { AgentContext, Argument, ArgumentDraft, Backend } from '../../../agents/types.js';
import { loadSchemes, type SchemeRegistry } from '../../../schemes/load.js';

export const casesDir = path.join(path.dirname(defaultKnowledgeBasePath()), '..', 'cases');

export async function loadCase(name: string): Promise<Case> {
  return CaseSchema.parse(JSON.parse(await readFile(path.join(casesDir, `${name}.json`), 'utf8')));
}

export function context(kase: Case): AgentContext {
  return { kase, facts: normaliseFacts(kase.facts) };
}

let shared: Promise<{ backend: Backend; schemes: SchemeRegistry }> | undefined;

/** The knowledge back-end over the shipped knowledge base, and the shipped schemes (loaded once). */
export function shipped(): Promise<{ backend: Backend; schemes: SchemeRegistry }> {
  shared ??= (async () => ({
    backend: createKnowledgeBackend(await loadKnowledgeBase(defaultKnowledgeBasePath())),
    schemes: await loadSchemes(),
  }))();
  return shared;
}

let next = 0;
/** An argument as the engine would add it. */
export function asArgument(draft: ArgumentDraft, round = 0): Argument {
  next += 1;
  return { ...draft, id: `t${next}`, round, agent: 'generator' };
}
