/**
 * The baseline of `npm run bench:startup` for `argmed serve`: a bare fastify app that registers the same
 * plugins as argmed's app (zod type provider, CORS, under-pressure, swagger, swagger-ui, rate limits) and
 * one `/healthz` route, listening on a free loopback port. It prints `{"port": N}` once listening; the
 * benchmark times both processes to their first 200 on `/healthz`, so what argmed adds (store, migrations,
 * schemes, back-end, routes) is the difference.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';

async function main(): Promise<void> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cors, { origin: false });
  await app.register(underPressure, { maxEventLoopDelay: 1_000 });
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'bare', version: '0.0.0' } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(rateLimit, { max: 300, timeWindow: 60_000 });
  app.get(
    '/healthz',
    { schema: { response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
  const stop = () => void app.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/startup-bare-fastify: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
