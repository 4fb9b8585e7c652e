/**
 * Keeps LangChain from copying prompts anywhere. LangChain adds a console logger of every prompt and answer
 * when LANGCHAIN_VERBOSE=true, and a LangSmith tracer that uploads them when LANGSMITH_TRACING (or one of
 * its variants) is true, whatever the application says. Case text must reach only the configured endpoint,
 * so every call carries inert handlers under the names LangChain checks before adding those two: it finds
 * them "already there" and adds neither. The names are taken the way LangChain's own check takes them
 * (`ConsoleCallbackHandler.prototype.name`, the tracer's literal name), and a test with both variables
 * set fails if that ever stops working.
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { ConsoleCallbackHandler } from '@langchain/core/tracers/console';

/** A handler that does nothing, standing in for one LangChain would otherwise add. */
class InertHandler extends BaseCallbackHandler {
  constructor(readonly name: string) {
    super();
  }

  /** Called by LangChain on its tracer inside LangSmith `traceable` contexts; nothing to do. */
  updateFromRunTree(): void {}

  /** Asked by LangChain's context propagation for the tracer's run tree; there is none. */
  getRunTreeWithTracingConfig(): undefined {
    return undefined;
  }
}

// LangChain compares with the prototype's `name`, which is undefined while `name` is an instance field.
const consoleName = (ConsoleCallbackHandler.prototype as { name?: string }).name as string;
// Made once: they hold no state, and a LangChain handler's construction is not free (a call made two).
const inert = [new InertHandler('langchain_tracer'), new InertHandler(consoleName)];

/** The callbacks to pass to every LangChain call (a fresh list: LangChain may add to it). */
export function privacyCallbacks(): BaseCallbackHandler[] {
  return [...inert];
}
