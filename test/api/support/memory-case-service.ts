/**
 * An in-memory CaseService for route unit tests: it stores cases in maps and "deliberates" with a scripted
 * graph solved by the real solver (one decision argument per option, mutual exclusion, one side-effect
 * argument defeating the second option). The real service over SQLite/PostgreSQL is tested in
 * real-service.test.ts; this one lets route tests control timing (a gate holds a case running).
 */
import { createHash, randomUUID } from 'node:crypto';
import { type CaseInput, CaseSchema, candidateOptions } from '../../../agents/case.js';
import type {
  CaseFeedback,
  CaseRecord,
  CaseService,
  CaseSummary,
  ListQuery,
  StoredEvent,
} from '../../../src/cases/types.js';
import { TERMINAL_STATUSES } from '../../../src/cases/types.js';
import type {
  ArgumentNode,
  AttackEdge,
  DeliberationGraph,
  DeliberationResult,
} from '../../../src/engine/types.js';
import { buildFramework, groundedLabelling, justification } from '../../../solver/index.js';

export interface MemoryCaseServiceOptions {
  /** When set, deliberations wait for `release()` before finishing (they emit their first event first). */
  gated?: boolean;
}

/** The scripted graph and result of a case. */
export function scriptedResult(kase: ReturnType<typeof CaseSchema.parse>): DeliberationResult {
  const options = candidateOptions(kase) ?? [
    { id: 'A', text: 'option A' },
    { id: 'B', text: 'option B' },
  ];
  const nodes: ArgumentNode[] = options.map((option, i) => ({
    id: `a${i + 1}`,
    scheme: 'ASDM',
    kind: 'decision',
    option: option.id,
    variables: { D: option.text },
    premises: ['the facts of the case', `${option.text} achieves the goal`],
    conclusion: `${option.text} should be considered`,
    text: `Choose ${option.text}.`,
    round: 0,
    agent: 'generator',
  }));
  const attacks: AttackEdge[] = [];
  for (const a of nodes) {
    for (const b of nodes) {
      if (a !== b)
        attacks.push({
          from: a.id,
          to: b.id,
          type: 'attack',
          question: 'exclusive',
          reason: 'options exclude each other',
        });
    }
  }
  const side: ArgumentNode = {
    id: `a${nodes.length + 1}`,
    scheme: 'ASSE',
    kind: 'belief',
    variables: { S: 'a side effect' },
    premises: [`${options[1].text} has a side effect`, 'the side effect is unacceptable for this patient'],
    conclusion: `${options[1].text} should not be chosen`,
    text: `Avoid ${options[1].text} because of its side effect.`,
    round: 1,
    agent: 'generator',
  };
  nodes.push(side);
  attacks.push({
    from: side.id,
    to: 'a2',
    type: 'attack',
    question: 'CQ2',
    reason: 'a side effect matters here',
  });

  const af = buildFramework(
    nodes.length,
    attacks.map((a) => [Number(a.from.slice(1)) - 1, Number(a.to.slice(1)) - 1] as [number, number]),
    nodes.map((n) => n.id),
  );
  const labelling = groundedLabelling(af);
  nodes.forEach((node, i) => {
    node.label = labelling.label(i);
  });
  const winners = nodes.filter((n) => n.kind === 'decision' && n.label === 'IN');
  const decided = winners.length === 1;
  const graph: DeliberationGraph = { nodes, attacks };
  const steps = decided ? justification(af, labelling, Number(winners[0].id.slice(1)) - 1) : [];
  return {
    status: decided ? 'decided' : 'undecided',
    decision: decided ? { option: winners[0].option!, argument: winners[0].id } : undefined,
    tied: decided
      ? undefined
      : nodes.filter((n) => n.kind === 'decision' && n.label === 'UNDEC').map((n) => n.option!),
    graph,
    justification: steps.map((s) => ({ attacker: nodes[s.attacker].id, defeater: nodes[s.defeater].id })),
    explanationArguments: decided ? [winners[0].id, side.id] : [],
    rejected: [],
    explanation: decided ? `Decision ${winners[0].option}.` : 'Undecided.',
    rounds: 1,
    usage: { llmCalls: 2, cachedCalls: 0, tokensIn: 100, tokensOut: 20, wallMs: 3, roundMs: [1, 2] },
    budgetsHit: [],
    failures: [],
    calls: [
      {
        role: 'generator',
        promptHash: 'h1',
        model: 'm',
        tokensIn: 60,
        tokensOut: 10,
        latencyMs: 1,
        cached: false,
        attempts: 1,
      },
      {
        role: 'verifier',
        promptHash: 'h2',
        model: 'm',
        tokensIn: 40,
        tokensOut: 10,
        latencyMs: 1,
        cached: false,
        attempts: 1,
      },
    ],
  };
}

/** An in-memory case service; `release()` lets gated deliberations finish. */
export class MemoryCaseService implements CaseService {
  readonly records = new Map<string, CaseRecord>();
  readonly eventLog = new Map<string, StoredEvent[]>();
  private readonly keys = new Map<string, { hash: string; id: string }>();
  private readonly listeners = new Set<() => void>();
  private gate: Promise<void>;
  private open!: () => void;

  constructor(options: MemoryCaseServiceOptions = {}) {
    this.gate = options.gated ? new Promise((resolve) => (this.open = resolve)) : Promise.resolve();
  }

  /** Lets every gated deliberation finish. */
  release(): void {
    this.open?.();
  }

  async submit(input: CaseInput, options: { idempotencyKey?: string } = {}) {
    const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    if (options.idempotencyKey) {
      const known = this.keys.get(options.idempotencyKey);
      if (known && known.hash !== hash) {
        throw Object.assign(new Error('the key was used with another body'), {
          code: 'ARGMED_IDEMPOTENCY_CONFLICT',
        });
      }
      if (known) return { record: this.records.get(known.id)!, created: false };
    }
    const kase = CaseSchema.parse(input);
    const now = new Date().toISOString();
    const record: CaseRecord = {
      id: randomUUID(),
      status: 'queued',
      input: kase,
      createdAt: now,
      updatedAt: now,
      feedback: [],
    };
    this.records.set(record.id, record);
    this.eventLog.set(record.id, []);
    if (options.idempotencyKey) this.keys.set(options.idempotencyKey, { hash, id: record.id });
    void this.run(record.id);
    return { record: { ...record }, created: true };
  }

  private emit(id: string, type: string, data: unknown): void {
    const log = this.eventLog.get(id);
    if (!log) return;
    log.push({ seq: log.length + 1, type, data, at: new Date().toISOString() });
    for (const listener of this.listeners) listener();
  }

  private update(id: string, patch: Partial<CaseRecord>): void {
    const record = this.records.get(id);
    if (!record) return;
    Object.assign(record, patch, { updatedAt: new Date().toISOString() });
    for (const listener of this.listeners) listener();
  }

  private async run(id: string): Promise<void> {
    await Promise.resolve();
    const record = this.records.get(id);
    if (!record) return;
    this.update(id, { status: 'running' });
    const result = scriptedResult(record.input);
    this.emit(id, 'argument-added', { argument: result.graph.nodes[0] });
    await this.gate;
    for (const node of result.graph.nodes.slice(1)) this.emit(id, 'argument-added', { argument: node });
    for (const attack of result.graph.attacks) this.emit(id, 'attack-added', { attack });
    this.emit(id, 'decided', { status: result.status, decision: result.decision });
    this.update(id, { status: result.status, result, finishedAt: new Date().toISOString() });
  }

  async get(id: string) {
    const record = this.records.get(id);
    return record ? structuredClone(record) : undefined;
  }

  async list(query: ListQuery) {
    let items = [...this.records.values()].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    if (query.status) items = items.filter((r) => r.status === query.status);
    if (query.createdAfter) items = items.filter((r) => r.createdAt >= query.createdAfter!);
    if (query.createdBefore) items = items.filter((r) => r.createdAt <= query.createdBefore!);
    const start = query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString()) : 0;
    const page = items.slice(start, start + query.limit);
    const next =
      start + query.limit < items.length
        ? Buffer.from(String(start + query.limit)).toString('base64url')
        : undefined;
    const summaries: CaseSummary[] = page.map((r) => ({
      id: r.id,
      status: r.status,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      finishedAt: r.finishedAt,
      title: r.input.title,
      decision: r.result?.decision?.option,
    }));
    return { items: summaries, nextCursor: next };
  }

  async delete(id: string) {
    this.eventLog.delete(id);
    return this.records.delete(id);
  }

  private terminal(id: string): boolean {
    const record = this.records.get(id);
    return !record || TERMINAL_STATUSES.includes(record.status);
  }

  private changed(signal?: AbortSignal, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.listeners.add(done);
      signal?.addEventListener('abort', done);
    });
  }

  async waitUntilDone(id: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (!this.terminal(id) && Date.now() < deadline) await this.changed(undefined, deadline - Date.now());
    return this.get(id);
  }

  async *events(id: string, afterSeq: number, signal?: AbortSignal): AsyncIterable<StoredEvent> {
    let next = afterSeq;
    for (;;) {
      const log = this.eventLog.get(id) ?? [];
      while (next < log.length) yield log[next++];
      if (this.terminal(id) || signal?.aborted) return;
      await this.changed(signal);
    }
  }

  async graph(id: string) {
    return this.records.get(id)?.result?.graph;
  }

  async addFeedback(id: string, feedback: CaseFeedback) {
    const record = this.records.get(id);
    if (!record) return false;
    record.feedback.push(feedback);
    return true;
  }

  // Contested cases need the store (revisions, hash chain): they are tested on the real service.
  async contribute(): Promise<never> {
    throw new Error('MemoryCaseService: contributions are tested against the real service');
  }

  async revisions() {
    return undefined;
  }

  async revisionGraph() {
    return undefined;
  }

  async subjectOverrides() {
    return [];
  }

  async recoverInterrupted() {
    return { rerun: 0, failed: 0 };
  }

  async close() {
    this.release();
  }
}
