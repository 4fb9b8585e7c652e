/**
 * Writes a tiny GGUF model (llama architecture, random weights) for tests of the `local` back-end: 32-dim
 * embeddings, one block, a byte-fallback vocabulary (<unk>, <s>, </s> and the 256 bytes), F32 tensors,
 * about 150 KB. Its answers are nonsense, but node-llama-cpp loads and runs it like any model, and a grammar
 * still forces every answer into its JSON schema. Dimension 0 of every embedding is a constant, so the final
 * hidden state leans one way and the output rows of `"` and `}` can be biased towards them: random weights
 * then end JSON strings and objects instead of running out of tokens. Format: GGUF v3 (ggml's docs/gguf.md).
 */
import { writeFileSync } from 'node:fs';

const ALIGNMENT = 32;
enum T {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  STRING = 8,
  ARRAY = 9,
}

/** A deterministic generator (mulberry32), so the model file is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Writer {
  private chunks: Buffer[] = [];
  size = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.size += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  str(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(): void {
    const rest = this.size % ALIGNMENT;
    if (rest !== 0) this.push(Buffer.alloc(ALIGNMENT - rest));
  }
  result(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type Value =
  | { type: T.UINT32 | T.INT32 | T.FLOAT32; value: number }
  | { type: T.STRING; value: string }
  | { type: T.ARRAY; of: T; values: Array<number | string> };

function writeValue(w: Writer, v: Value): void {
  w.u32(v.type);
  if (v.type === T.STRING) {
    w.str(v.value);
    return;
  }
  if (v.type === T.ARRAY) {
    w.u32(v.of);
    w.u64(v.values.length);
    for (const item of v.values) writeScalar(w, v.of, item);
    return;
  }
  writeScalar(w, v.type, v.value);
}

function writeScalar(w: Writer, type: T, value: number | string): void {
  const b = Buffer.alloc(4);
  if (type === T.STRING) {
    w.str(String(value));
    return;
  }
  if (type === T.FLOAT32) b.writeFloatLE(Number(value));
  else if (type === T.INT32) b.writeInt32LE(Number(value));
  else b.writeUInt32LE(Number(value));
  w.push(b);
}

/**
 * Writes the model.
 * @param path where to write the .gguf file.
 * @param options `contextLength` the model's trained context (default 16384); `seed` of the weights.
 */
export function writeTinyGguf(path: string, { contextLength = 16_384, seed = 7 } = {}): void {
  const embd = 32;
  const ff = 64;
  const heads = 4;
  const tokens = [
    '<unk>',
    '<s>',
    '</s>',
    ...Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`),
  ];
  const vocab = tokens.length;
  const byteToken = (char: string) => 3 + char.charCodeAt(0);
  const next = random(seed);
  const noise = (scale: number) => (next() * 2 - 1) * scale;

  const tensors: Array<{ name: string; dims: number[]; data: Float32Array }> = [];
  const tensor = (name: string, dims: number[], fill: (i: number) => number) => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i += 1) data[i] = fill(i);
    tensors.push({ name, dims, data });
  };
  // ggml order: dims[0] is the innermost (row length).
  tensor('token_embd.weight', [embd, vocab], (i) => (i % embd === 0 ? 1 : noise(0.5)));
  tensor('output_norm.weight', [embd], () => 1);
  tensor('output.weight', [embd, vocab], (i) => {
    const token = Math.floor(i / embd);
    const favoured = token === byteToken('"') || token === byteToken('}');
    return i % embd === 0 ? (favoured ? 2.5 : 0) : noise(0.5);
  });
  const block = 'blk.0';
  tensor(`${block}.attn_norm.weight`, [embd], () => 1);
  for (const name of ['attn_q', 'attn_k', 'attn_v', 'attn_output'])
    tensor(`${block}.${name}.weight`, [embd, embd], () => noise(0.05));
  tensor(`${block}.ffn_norm.weight`, [embd], () => 1);
  tensor(`${block}.ffn_gate.weight`, [embd, ff], () => noise(0.05));
  tensor(`${block}.ffn_up.weight`, [embd, ff], () => noise(0.05));
  tensor(`${block}.ffn_down.weight`, [ff, embd], () => noise(0.05));

  const metadata: Array<[string, Value]> = [
    ['general.architecture', { type: T.STRING, value: 'llama' }],
    ['general.name', { type: T.STRING, value: 'argmed-tiny-test' }],
    ['general.alignment', { type: T.UINT32, value: ALIGNMENT }],
    ['llama.context_length', { type: T.UINT32, value: contextLength }],
    ['llama.embedding_length', { type: T.UINT32, value: embd }],
    ['llama.block_count', { type: T.UINT32, value: 1 }],
    ['llama.feed_forward_length', { type: T.UINT32, value: ff }],
    ['llama.attention.head_count', { type: T.UINT32, value: heads }],
    ['llama.attention.head_count_kv', { type: T.UINT32, value: heads }],
    ['llama.rope.dimension_count', { type: T.UINT32, value: embd / heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: T.FLOAT32, value: 1e-5 }],
    ['tokenizer.ggml.model', { type: T.STRING, value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: T.ARRAY, of: T.STRING, values: tokens }],
    ['tokenizer.ggml.scores', { type: T.ARRAY, of: T.FLOAT32, values: tokens.map(() => 0) }],
    // 2 unknown, 3 control, 6 byte.
    [
      'tokenizer.ggml.token_type',
      { type: T.ARRAY, of: T.INT32, values: tokens.map((_, i) => (i === 0 ? 2 : i < 3 ? 3 : 6)) },
    ],
    ['tokenizer.ggml.unknown_token_id', { type: T.UINT32, value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: T.UINT32, value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: T.UINT32, value: 2 }],
  ];

  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const [key, value] of metadata) {
    w.str(key);
    writeValue(w, value);
  }
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const dim of t.dims) w.u64(dim);
    w.u32(0); // F32
    w.u64(offset);
    offset += Math.ceil(t.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  w.pad();
  for (const t of tensors) {
    w.push(Buffer.from(t.data.buffer));
    w.pad();
  }
  writeFileSync(path, w.result());
}
