/**
 * Deliberation as a stream: an async iterator over the events of `deliberate`, ending with the result, for
 * callers that forward progress (server-sent events, a terminal). Leaving the loop early aborts the run.
 */
import type { Case } from '../../agents/case.js';
import { deliberate } from './deliberate.js';
import type { DeliberateOptions, DeliberationStreamItem } from './types.js';

/**
 * Runs a deliberation and yields its events as they happen, then `{ type: 'result', result }`.
 * `options.onEvent` still receives every event. Events are buffered, so a slow consumer loses nothing.
 * @example
 * for await (const item of deliberationEvents(kase, { backend })) {
 *   if (item.type === 'result') console.log(item.result.status);
 * }
 */
export async function* deliberationEvents(
  kase: Case,
  options: DeliberateOptions,
): AsyncGenerator<DeliberationStreamItem, void, undefined> {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const queue: DeliberationStreamItem[] = [];
  let wake: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  const push = (item: DeliberationStreamItem): void => {
    queue.push(item);
    wake?.();
  };
  deliberate(kase, {
    ...options,
    signal,
    onEvent: (event) => {
      options.onEvent?.(event);
      push(event);
    },
  }).then(
    (result) => push({ type: 'result', result }),
    (error: unknown) => {
      failure = { error };
      wake?.();
    },
  );
  try {
    for (;;) {
      const item = queue.shift();
      if (item) {
        yield item;
        if (item.type === 'result') return;
        continue;
      }
      if (failure) throw failure.error;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    controller.abort();
  }
}
