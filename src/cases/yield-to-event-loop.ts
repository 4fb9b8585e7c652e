/**
 * Lets the event loop run once (reading sockets, firing timers) before the caller goes on.
 *
 * Why: with SQLite (better-sqlite3 is synchronous) and a back-end that answers at once (the knowledge
 * back-end), every `await` of a case run resolves immediately, so runs, event writes, waiter wake-ups and
 * the next queued run all chain through the microtask queue without ever returning to the event loop.
 * Measured under 64 concurrent `POST /v1/cases?wait=true`: single microtask drains of ~1 s, an event-loop
 * delay of up to 1.9 s, requests left unread meanwhile (10 s timeouts) and under-pressure answering 503.
 * Awaiting this at the seams of a run bounds such a drain to one step of one case.
 * Cost: one `setImmediate` (microseconds).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
