/**
 * The mock OpenAI server of the benchmarks as a process of its own: `node dist/bench/mock-openai-process.js
 * <latencyMs> [answer]` starts `startMockOpenAI` (answering `answer`, default `Answer: A`, after `latencyMs`)
 * and prints one line `{"url": ...}` on stdout once it listens. A model server is remote in reality: run in
 * the benchmark's own process, its parsing and answering would be charged to the run being measured.
 * It stops when its stdin closes (the benchmark exited, however it ended) or on SIGTERM.
 */
import { startMockOpenAI } from '../test/support/mock-openai-server.js';

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? '100');
  const answer = process.argv[3] ?? 'Answer: A';
  if (!(latencyMs >= 0)) throw new Error(`latency must be a number >= 0, got ${process.argv[2]}`);
  const mock = await startMockOpenAI({ respond: () => answer, latencyMs });
  // The mock keeps every request for tests; a benchmark sends thousands and reads none.
  const keep = mock.requests;
  const trim = setInterval(() => keep.splice(0, keep.length), 1_000);
  trim.unref();
  const stop = () => {
    clearInterval(trim);
    mock.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify({ url: mock.url })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/mock-openai-process: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
