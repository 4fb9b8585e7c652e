/** A small SSE client over fetch for tests: parses frames, counts heartbeats, can stop early. */
export interface SseEvent {
  id?: number;
  event: string;
  data: unknown;
}

export interface SseReadOptions {
  lastEventId?: number;
  /** Disconnect after this many events with an id. */
  stopAfterEvents?: number;
  /** Before stopping early, wait until at least one heartbeat arrived. */
  waitForHeartbeat?: boolean;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Reads an event stream until the server ends it, or until `stopAfterEvents` (then aborts). */
export async function readSse(url: string, options: SseReadOptions = {}) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 10_000);
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  let heartbeats = 0;
  let buffer = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf('\n\n');
        if (frame.includes(': heartbeat')) heartbeats++;
        const fields = Object.fromEntries(
          frame
            .split('\n')
            .filter((line) => /^(id|event|data): /.test(line))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        );
        if (fields.event) {
          events.push({
            id: fields.id ? Number(fields.id) : undefined,
            event: fields.event,
            data: JSON.parse(fields.data),
          });
        }
      }
      const withId = events.filter((e) => e.id !== undefined).length;
      if (options.stopAfterEvents !== undefined && withId >= options.stopAfterEvents) {
        if (!options.waitForHeartbeat || heartbeats > 0) {
          abort.abort();
          break;
        }
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return { status: res.status, contentType: res.headers.get('content-type'), events, heartbeats };
}
