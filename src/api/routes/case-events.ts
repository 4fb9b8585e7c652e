/**
 * `GET /v1/cases/:id/events`: the deliberation as server-sent events. Stored events are replayed first, then
 * live ones follow until the case ends; each event's `id:` is its sequence number, so a client reconnecting
 * with `Last-Event-ID` (header, or `?lastEventId=` for clients that cannot set headers) misses nothing.
 * Comment lines keep idle connections alive; a final `end` event (without an id) tells clients to stop.
 * With `?follow=true` the stream stays open after the case ends and streams each new revision of a contested
 * case as a `revision` event (src/revisions), until the client leaves.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StoredEvent } from '../../cases/types.js';
import type { RouteContext } from '../types.js';
import { CaseIdParamsSchema, requireCase } from './cases.js';

const SeqSchema = z
  .string()
  .regex(/^\d{1,15}$/, 'an event id: the sequence number of the last event received')
  .transform(Number);

/** Formats one SSE frame. Data is JSON on a single line, so it never needs splitting. */
export function sseFrame(event: { id?: number; event: string; data: unknown }): string {
  const id = event.id === undefined ? '' : `id: ${event.id}\n`;
  return `${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** The event stream of a case. */
export const caseEventRoutes: FastifyPluginAsyncZod<RouteContext> = async function caseEventRoutes(
  app,
  context,
) {
  const { caseService } = context;
  // Streams still open at shutdown are ended, so that closing the server does not wait for their cases.
  const open = new Set<AbortController>();
  app.addHook('preClose', async () => {
    for (const controller of open) controller.abort();
  });

  app.get(
    '/cases/:id/events',
    {
      schema: {
        tags: ['cases'],
        summary: 'Server-sent events of the deliberation: replay, then live events until the case ends',
        params: CaseIdParamsSchema,
        querystring: z
          .object({
            lastEventId: SeqSchema.optional(),
            follow: z
              .enum(['true', 'false'])
              .optional()
              .describe('Stay open after the case ends, for the revisions of a contested case'),
          })
          .strict(),
        headers: z.looseObject({ 'last-event-id': SeqSchema.optional() }),
      },
    },
    async (request, reply) => {
      const record = await requireCase(caseService, request.params.id);
      const afterSeq = Number(request.headers['last-event-id'] ?? request.query.lastEventId ?? 0);
      const abort = new AbortController();
      open.add(abort);
      const raw = reply.raw;
      // The response's close (not the request's, which fires once its body is read) means the client left.
      const stop = () => abort.abort();
      raw.on('close', stop);

      reply.hijack();
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'x-request-id': String(request.id),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // A stream is not a request to keep the socket for: closing it at the end lets shutdown finish at once.
        connection: 'close',
        'x-accel-buffering': 'no',
      });
      raw.write(`retry: 3000\n: case ${record.id}\n\n`);
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), context.heartbeatMs);
      heartbeat.unref();
      try {
        for await (const event of caseService.events(
          record.id,
          afterSeq,
          abort.signal,
          request.query.follow === 'true',
        ) as AsyncIterable<StoredEvent>) {
          if (abort.signal.aborted) break;
          raw.write(
            sseFrame({ id: event.seq, event: event.type, data: { ...asObject(event.data), at: event.at } }),
          );
        }
        if (!abort.signal.aborted) {
          const final = await caseService.get(record.id);
          raw.write(sseFrame({ event: 'end', data: { status: final?.status ?? 'deleted' } }));
        }
      } catch (error) {
        request.log.error({ errorName: (error as Error)?.name }, 'event stream failed');
        if (!raw.writableEnded) raw.write(sseFrame({ event: 'error', data: { code: 'ARGMED_INTERNAL' } }));
      } finally {
        clearInterval(heartbeat);
        open.delete(abort);
        raw.off('close', stop);
        if (!raw.writableEnded) raw.end();
      }
    },
  );
};

function asObject(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : { value: data };
}
