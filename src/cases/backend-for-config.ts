/**
 * The `backendFor` of the case service from the configuration, shared by the API process (`startService`)
 * and `argmed worker`, so a case gets the same back-end wherever it runs.
 */
import type { KnowledgeBase } from '../../agents/knowledge/index.js';
import type { LlmClient } from '../../agents/llm/client.js';
import type { CallCache } from '../../agents/types.js';
import type { SchemeRegistry } from '../../schemes/load.js';
import { type BuiltBackend, createBackend, loadLocalModel } from '../backends.js';
import type { Config } from '../config.js';
import type { BackendFor } from './case-service-options.js';

/**
 * Builds the back-end chooser: a case's `settings.backend`, else `config.backend`. The knowledge back-end is
 * deterministic and holds no per-case state, so it is built once here; a model back-end is built per case so
 * that it uses that case's persistent call cache. The local back-end's model is loaded once, at its first case
 * (loading takes seconds and gigabytes; its calls take turns on one context), and loaded again at the next case
 * if loading failed, so a fixed file needs no restart.
 * @param knowledgeBase the knowledge base of `config.knowledgePath` when the caller has loaded it already.
 * @throws the back-end factory's errors (BackendError with the setting to fix; knowledge file errors).
 */
export async function backendForConfig(
  config: Config,
  schemes: SchemeRegistry,
  knowledgeBase?: KnowledgeBase,
): Promise<BackendFor> {
  const knowledge =
    config.backend === 'knowledge' ? await createBackend(config, { schemes, knowledgeBase }) : undefined;
  let localModel: Promise<LlmClient> | undefined;
  const loadedLocalModel = () => {
    if (!localModel) {
      localModel = loadLocalModel(config);
      localModel.catch(() => {
        localModel = undefined;
      });
    }
    return localModel;
  };
  return async (
    settings: { backend?: string } | undefined,
    context: { cache: CallCache },
  ): Promise<BuiltBackend> => {
    const name = settings?.backend ?? config.backend;
    if (name === 'knowledge' && knowledge) return knowledge;
    const local = name === 'local' ? { localModel: loadedLocalModel() } : {};
    return createBackend(config, { backend: name, schemes, knowledgeBase, cache: context.cache, ...local });
  };
}
