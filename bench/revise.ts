/**
 * Benchmark of re-solving a contested case's revision (`npm run bench:revise`), against a full deliberation
 * of the same case in the same run.
 *
 * The case is argued by a zero-latency in-process back-end whose verifier fails every critical question, so
 * the graph grows to a 1,000-argument budget (the full deliberation: every argument verified, every counter
 * generated; with a real model each of those calls would also cost its latency, so the ratio printed here is
 * the smallest the saving can be). Then a clinician's argument (own judgement) attacks one decision:
 *  1. engine: `applyContribution` + `continueDeliberation` with nothing fresh to verify (the graph is loaded,
 *     edited, solved under grounded semantics, classified and explained; no agent call);
 *  2. service: `contestCase` on a SQLite store (a temporary file) holding the finished case: the above plus
 *     reading the latest revision, hashing and storing the new one with the case's result and graph in one
 *     transaction.
 * Reported: CPU time (process.cpuUsage) and wall time, medians of RUNS runs after WARMUP, the agent calls of
 * each, and the 1-minute load (CPU time is what a busy machine does not inflate much).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Case, CaseSchema } from '../agents/case.js';
import { loadSchemes, type SchemeRegistry } from '../schemes/load.js';
import { explodingBackend } from './exploding-backend.js';
import { continueDeliberation, deliberate } from '../src/engine/deliberate.js';
import type { DeliberationResult } from '../src/engine/types.js';
import { applyContribution } from '../src/revisions/apply-contribution.js';
import { contestCase } from '../src/revisions/contest-case.js';
import { firstRevisionRow, storedOutcome } from '../src/revisions/revision-rows.js';
import { insertCaseRevision } from '../src/store/case-revisions.repository.js';
import type { Contribution } from '../src/revisions/types.js';
import { upsertCaseGraph } from '../src/store/case-graphs.repository.js';
import { insertCase } from '../src/store/cases.repository.js';
import { migrateToLatest } from '../src/store/migrate-to-latest.js';
import { openStore } from '../src/store/open-store.js';

const ARGUMENTS = 1_000;
const FULL_RUNS = 5;
const RUNS = 30;
const WARMUP = 5;

interface Timing {
  cpu: number;
  wall: number;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; timing: Timing }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpuStart);
  return { value, timing: { cpu: (used.user + used.system) / 1000, wall: performance.now() - started } };
}

function median(timings: Timing[]): Timing {
  const at = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { cpu: at(timings.map((t) => t.cpu)), wall: at(timings.map((t) => t.wall)) };
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

/** A clinician's argument (own judgement) attacking the first decision argument of the graph. */
function contribution(result: DeliberationResult): Contribution {
  const decision = result.graph.nodes.find((node) => node.kind === 'decision')!;
  return {
    kind: 'argument',
    argument: {
      scheme: 'CLIN',
      premises: ['The treating clinician judges: not for this patient.'],
      conclusion: `${decision.option} should not be chosen.`,
      attacks: [{ target: decision.id }],
      judgement: true,
      reason: 'bench',
    },
  };
}

async function main(): Promise<void> {
  const schemes: SchemeRegistry = await loadSchemes();
  const kase: Case = CaseSchema.parse({
    question: 'Which option?',
    facts: ['a fact'],
    options: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `option ${id}` })),
    settings: { maxArguments: ARGUMENTS, maxRounds: 32 },
  });
  const budgets = { maxArguments: ARGUMENTS, maxRounds: 32, maxLlmCalls: 100_000, deadlineMs: 600_000 };

  // The full deliberation.
  const full: Timing[] = [];
  let result: DeliberationResult | undefined;
  for (let i = 0; i < FULL_RUNS + 1; i++) {
    const run = await timed(() => deliberate(kase, { backend: explodingBackend(), schemes, budgets }));
    result = run.value;
    if (i > 0) full.push(run.timing);
  }
  const graph = result!.graph;
  const fullCalls = result!.usage.agentCalls;

  // 1. The engine's re-solve of a revision.
  const engine: Timing[] = [];
  let revised: DeliberationResult | undefined;
  for (let i = 0; i < RUNS + WARMUP; i++) {
    const run = await timed(async () => {
      const applied = applyContribution(graph, kase, contribution(result!), {
        schemes,
        revision: 2,
        author: 'bench',
        at: new Date().toISOString(),
        options: ['a', 'b', 'c', 'd'],
        betterDecisionScheme: 'ASBD',
      });
      return continueDeliberation(applied.kase, applied.graph, applied.fresh, {
        backend: explodingBackend(),
        schemes,
        budgets,
        ...(result!.candidates ? { candidates: result!.candidates } : {}),
      });
    });
    revised = run.value;
    if (i >= WARMUP) engine.push(run.timing);
  }

  // 2. Through the service's contest path on SQLite: each run contests its own copy of the finished case.
  const dir = mkdtempSync(join(tmpdir(), 'argmed-bench-revise-'));
  const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'bench.db')}` });
  const service: Timing[] = [];
  try {
    await migrateToLatest(store.db);
    const { graph: _graph, ...rest } = result!;
    const at = new Date().toISOString();
    const deps = {
      db: store.db,
      backendFor: () => ({ backend: explodingBackend(), schemes }),
      now: () => new Date(),
      notify: () => undefined,
    };
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const id = randomUUID();
      await insertCase(store.db, {
        id,
        status: result!.status,
        input: JSON.stringify(kase),
        settings: JSON.stringify(kase.settings),
        result: JSON.stringify(rest),
        error: null,
        title: null,
        decision: result!.decision?.option ?? null,
        idempotency_key: null,
        body_hash: null,
        attempts: 1,
        owner: null,
        heartbeat_at: null,
        created_at: at,
        updated_at: at,
        finished_at: at,
      });
      await upsertCaseGraph(store.db, {
        case_id: id,
        graph: JSON.stringify(graph),
        nodes: graph.nodes.length,
        attacks: graph.attacks.length,
        created_at: at,
      });
      // Revision 1, stored with the result as the service does when a deliberation ends; not timed.
      await insertCaseRevision(store.db, firstRevisionRow(id, JSON.stringify(graph), storedOutcome(result!), at));
      const run = await timed(() =>
        contestCase(deps, id, contribution(result!), { author: 'bench', reason: 'bench' }),
      );
      if (i >= WARMUP) service.push(run.timing);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const f = median(full);
  const e = median(engine);
  const s = median(service);
  const load = `load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;
  console.log(
    `Re-solving a revision of a ${graph.nodes.length}-argument graph (${graph.attacks.length} attacks), ${load}:`,
  );
  console.log(
    `  full deliberation:    CPU ${ms(f.cpu)}, wall ${ms(f.wall)} (median of ${FULL_RUNS}; agent calls: ` +
      `${fullCalls?.verify} verify, ${fullCalls?.counter} counter, zero latency each)`,
  );
  const revisedCalls = revised!.usage.agentCalls;
  console.log(
    `  revision, engine:     CPU ${ms(e.cpu)}, wall ${ms(e.wall)} (median of ${RUNS}; agent calls: ` +
      `${revisedCalls?.verify ?? 0} verify, ${revisedCalls?.counter ?? 0} counter; status ` +
      `${result!.status} -> ${revised!.status}) = ${((100 * e.cpu) / f.cpu).toFixed(1)}% of the full CPU time`,
  );
  console.log(
    `  revision, service:    CPU ${ms(s.cpu)}, wall ${ms(s.wall)} (median of ${RUNS}; SQLite temp file: load, ` +
      `edit, solve, hash, store in one transaction) = ${((100 * s.cpu) / f.cpu).toFixed(1)}% of the full CPU time`,
  );
}

await main();
