/**
 * The identity of a model call: sha256 over the model, the settings that change the answer and the
 * messages. It keys the call cache and is the only trace of a prompt in the call log.
 */
import { createHash } from 'node:crypto';
import type { LlmMessage } from './types.js';

/**
 * Hashes one call. `settings` must list everything that changes the answer (temperature, output schema,
 * method, sample index); its keys are sorted so that the order they were written in does not matter.
 * The endpoint URL is deliberately left out: the same model behind another host shares the cache.
 * @returns 64 hex digits. O(size of the prompt).
 */
export function promptHash(
  model: string,
  settings: Record<string, unknown>,
  messages: readonly LlmMessage[],
): string {
  const sorted = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  const payload = JSON.stringify({
    model,
    settings: sorted,
    messages: messages.map((m) => [m.role, m.content]),
  });
  return createHash('sha256').update(payload).digest('hex');
}
