/**
 * The transport against a server that closes kept-alive sockets: a request that leaves on a socket the
 * server drops before answering (its idle keep-alive timeout racing the request) is sent once more on a
 * new connection; a fresh connection dropped is reported, not retried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { sendHttp } from '../../../agents/llm/http-fetch.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server answering `ok n` (n: the request's number on its connection), dropping the requests `drop` picks. */
async function start(drop: (requestOnSocket: number, connection: number) => boolean): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const counts = new WeakMap<object, number>();
  server = createServer((req, res) => {
    const n = (counts.get(req.socket) ?? 0) + 1;
    counts.set(req.socket, n);
    req.resume();
    req.on('end', () => {
      if (drop(n, connections)) req.socket.destroy();
      else res.end(`ok ${n}`);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, connections: () => connections };
}

const post = (url: string) => sendHttp(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });

describe('http transport and closed keep-alive sockets', () => {
  test('a request reset on a reused socket before any answer is sent again on a new connection', async () => {
    // The second request on the first connection is dropped, as when the server's idle timeout closes it.
    const mock = await start((n, connection) => n === 2 && connection === 1);
    expect((await post(mock.url)).text).toBe('ok 1');
    const again = await post(mock.url);
    expect(again).toMatchObject({ status: 200, text: 'ok 1' });
    expect(mock.connections()).toBe(2);
  });

  test('a reset of a fresh connection, or of the retry, fails as fetch failed', async () => {
    const fresh = await start(() => true);
    const error = await post(fresh.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(fresh.connections()).toBe(1);
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    // Reused, then the new connection is dropped too: one retry only.
    const twice = await start((n, connection) => n === 2 || connection === 2);
    expect((await post(twice.url)).text).toBe('ok 1');
    const failed = await post(twice.url).catch((e: unknown) => e);
    expect((failed as TypeError).message).toBe('fetch failed');
    expect(twice.connections()).toBe(2);
  });
});
