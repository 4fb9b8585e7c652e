/**
 * The HTTP transport of the model calls: one request over node:http(s) with keep-alive agents, its answer
 * read whole (or handed over as a stream for server-sent events). The OpenAI SDK takes any `fetch`; Node's
 * own (undici's WHATWG fetch) spends about three times the CPU of node:http on a small JSON exchange
 * (streams, body mixins, header guards), which bounds how many calls one process keeps in flight.
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** One HTTP answer: the body as text, or (event streams) as the response stream still being read. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  contentType: string;
  text?: string;
  stream?: Readable;
}

// Sockets stay open between calls (a model server answers many); no limit beyond the client's own. A server
// closes an idle one after its keep-alive timeout (5 s for Node's http and uvicorn, hence vLLM); a request
// that leaves on such a socket as it closes is reset, and is sent once more on a new connection (below).
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

function headerPairs(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const headers = init?.headers;
  if (!headers) return out;
  if (headers instanceof Headers || Array.isArray(headers)) {
    for (const [name, value] of headers as Iterable<[string, string]>) out[name] = value;
  } else {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = String(value);
  }
  return out;
}

function answerHeaders(res: http.IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/**
 * The answer's body decoded by its Content-Encoding (gzip, deflate, br: a proxy in front of a model server may
 * compress whatever the request asked), or the answer itself; undefined for an encoding it cannot decode.
 */
function decoded(res: http.IncomingMessage): Readable | undefined {
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return res;
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return res.pipe(zlib.createInflate());
  if (encoding === 'br') return res.pipe(zlib.createBrotliDecompress());
  return undefined;
}

/** Headers of a decoded answer: its encoding and length were those of the encoded body. */
function decodedHeaders(pairs: Array<[string, string]>): Array<[string, string]> {
  return pairs.filter(([name]) => !/^content-(encoding|length)$/i.test(name));
}

/** A dropped or refused connection, shaped like undici's (`TypeError: fetch failed`, cause with a code). */
function connectionError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/**
 * Sends one request. `init.body` must be a string or absent (the SDK sends JSON text).
 * @throws an AbortError when `init.signal` aborts, TypeError `fetch failed` (cause: the socket error) when the
 *   connection fails or drops before the answer is complete.
 */
export function sendHttp(input: string | URL | Request, init?: RequestInit): Promise<HttpAnswer> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return Promise.reject(new TypeError('argmed http transport: only text bodies are sent'));
  }
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const headers = headerPairs(init);
  if (body) headers['content-length'] = String(Buffer.byteLength(body));
  const send = url.protocol === 'https:' ? https.request : http.request;

  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => {
      const error = abortError(signal!);
      req.destroy(error);
      fail(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const start = (retry: boolean) => {
      let answered = false;
      req = send(url, { method: init?.method ?? 'GET', headers, agent }, (res) => {
        answered = true;
        const contentType = String(res.headers['content-type'] ?? '');
        const body = decoded(res);
        const head = {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: body === res ? answerHeaders(res) : decodedHeaders(answerHeaders(res)),
          contentType,
        };
        if (body === undefined) {
          res.resume();
          fail(new TypeError('fetch failed: the answer has a content encoding argmed cannot decode'));
          return;
        }
        if (contentType.includes('text/event-stream')) {
          // The stream is the caller's from here; an abort still ends it (destroying the request).
          settled = true;
          res.once('close', () => signal?.removeEventListener('abort', onAbort));
          resolve({ ...head, stream: body });
          return;
        }
        body.setEncoding('utf8');
        let text = '';
        body.on('data', (chunk: string) => {
          text += chunk;
        });
        body.on('end', () => {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve({ ...head, text });
        });
        res.on('aborted', () =>
          fail(connectionError(Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' }))),
        );
        res.on('error', (error) => fail(connectionError(error)));
        // A body that does not decode (corrupt or cut gzip) is a broken answer, retried like a dropped one.
        if (body !== res) body.on('error', (error) => fail(connectionError(error)));
      });
      const sent = req;
      sent.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed while idle, reset before any answer: the server dropped
        // the connection, not this request, so it goes once more on a new connection (Node's documented
        // remedy), without the client's backoff. A reset of a fresh socket is the server's fault: reported.
        const idleClose =
          sent.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        if (idleClose && !retry && !settled && !signal?.aborted) {
          start(true);
          return;
        }
        fail(signal?.aborted ? abortError(signal) : connectionError(error));
      });
      sent.end(body ?? undefined);
    };
    start(false);
  });
}
