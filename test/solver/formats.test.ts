import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFramework,
  type Framework,
  inferFormat,
  readFramework,
  SolverFormatError,
  writeApx,
  writeDot,
  writeFramework,
  writeIccma,
  writeJson,
  writeTgf,
  groundedLabelling,
  type ReadableFormat,
} from '../../solver/index.js';
import { arbitraryFramework } from './arbitrary.js';

function attackSet(af: Framework): string[] {
  const out: string[] = [];
  for (let a = 0; a < af.count; a++)
    for (const t of af.targetsOf(a)) out.push(`${af.nameOf(a)}>${af.nameOf(t)}`);
  return out.sort();
}

/** Feeds `text` as byte chunks cut at the given offsets, so tokens and lines straddle chunk boundaries. */
async function* pieces(text: string, cuts: number[]): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
  let start = 0;
  for (const p of points) {
    yield bytes.subarray(start, p);
    start = p;
  }
  yield bytes.subarray(start);
}

const cutsArb = fc.array(fc.nat(5000), { maxLength: 20 });
const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/),
  fc.constantFrom('Fever', 'x y', 'say "hi"', 'back\\slash', '12', 'é-ñ', 'a.b', 'a,b', '%pct', '0'),
);

async function expectFormatError(
  text: string | Buffer,
  format: ReadableFormat,
  code: string,
  line: number,
): Promise<SolverFormatError> {
  const source =
    typeof text === 'string'
      ? text
      : (async function* () {
          yield text;
        })();
  const error = await readFramework(source, format, 'case.x').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SolverFormatError);
  const formatError = error as SolverFormatError;
  expect({ code: formatError.code, line: formatError.line, file: formatError.file }).toEqual({
    code,
    line,
    file: 'case.x',
  });
  expect(formatError.message).toMatch(new RegExp(`^case\\.x:${line}: \\S`));
  return formatError;
}

describe('ICCMA 2023 reader and writer', () => {
  it('round-trips any framework, whatever the chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryFramework(12), cutsArb, async ({ count, attacks }, cuts) => {
        const af = buildFramework(count, attacks);
        const back = await readFramework(pieces(writeIccma(af), cuts), 'i23');
        expect(back.count).toBe(count);
        expect(attackSet(back)).toEqual(attackSet(af));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts comments anywhere, blank lines, tabs, CRLF, trailing comments and a missing final newline', async () => {
    const text = '# instance\r\n\r\np af 4\r\n# comment between attacks\n1\t2\r\n  3 2 # why\n\n4 4';
    const af = await readFramework(text, 'i23');
    expect(af.count).toBe(4);
    expect(attackSet(af)).toEqual(['1>2', '3>2', '4>4']);
    expect(groundedLabelling(af).inArguments()).toEqual([0, 2]);
  });

  it('keeps names as comments that the reader ignores', async () => {
    const af = buildFramework(2, [[0, 1]], ['fever', 'sepsis']);
    const text = writeIccma(af);
    expect(text).toBe('p af 2\n# 1 fever\n# 2 sepsis\n1 2\n');
    expect((await readFramework(text, 'i23')).names).toEqual(['1', '2']);
  });

  it('reports every malformed input with its line and a stable code', async () => {
    await expectFormatError('', 'i23', 'SOLVER_EMPTY_FILE', 1);
    await expectFormatError('\n  \n', 'i23', 'SOLVER_EMPTY_FILE', 1);
    await expectFormatError('# only a comment\n', 'i23', 'SOLVER_HEADER_MISSING', 1);
    await expectFormatError('# c\n1 2\n', 'i23', 'SOLVER_HEADER_MISSING', 2);
    await expectFormatError('p af 3\n1 2\np af 3\n', 'i23', 'SOLVER_HEADER_REPEATED', 3);
    await expectFormatError('p af three\n', 'i23', 'SOLVER_HEADER_INVALID', 1);
    await expectFormatError('p af 3\n1 2\n2 4\n', 'i23', 'SOLVER_ID_OUT_OF_RANGE', 3);
    await expectFormatError('p af 3\n0 1\n', 'i23', 'SOLVER_ID_OUT_OF_RANGE', 2);
    await expectFormatError('p af 3\n1 x\n', 'i23', 'SOLVER_BAD_TOKEN', 2);
    await expectFormatError('p af 3\n1 2.5\n', 'i23', 'SOLVER_BAD_TOKEN', 2);
    await expectFormatError('p af 3\n-1 2\n', 'i23', 'SOLVER_BAD_TOKEN', 2);
    await expectFormatError('p af 3\n1 2 3\n', 'i23', 'SOLVER_BAD_TOKEN', 2);
    await expectFormatError('p af 3\n1 2\n3\n', 'i23', 'SOLVER_TRUNCATED_LINE', 3);
    await expectFormatError('p af 3\n1 2\n3', 'i23', 'SOLVER_TRUNCATED_LINE', 3);
    await expectFormatError(
      Buffer.from([0x70, 0x20, 0x61, 0x66, 0x20, 0x32, 0x0a, 0x00, 0xff, 0x13, 0x37]),
      'i23',
      'SOLVER_BINARY',
      2,
    );
    await expectFormatError(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'i23',
      'SOLVER_BINARY',
      1,
    );
    const message = await expectFormatError('p af 3\n1 2\n2 4\n', 'i23', 'SOLVER_ID_OUT_OF_RANGE', 3);
    expect(message.message).toBe('case.x:3: attack "2 4" names an argument outside 1..3');
    // Regression: an id past 2^53 was quoted as the float it rounds to ("100000000000000020000 2").
    const huge = await expectFormatError('p af 3\n99999999999999999999\t2 # x\n', 'i23', 'SOLVER_ID_OUT_OF_RANGE', 2);
    expect(huge.message).toBe('case.x:2: attack "99999999999999999999 2" names an argument outside 1..3');
  });

  it('reads a framework of a million attacks streamed in small chunks', async () => {
    const n = 200_000;
    const lines = ['p af 200000'];
    for (let i = 1; i <= 1_000_000; i++) lines.push(`${((i * 7919) % n) + 1} ${((i * 104729) % n) + 1}`);
    const text = `${lines.join('\n')}\n`;
    async function* chunks(): AsyncGenerator<Buffer> {
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += 65_521) yield bytes.subarray(i, i + 65_521);
    }
    const af = await readFramework(chunks(), 'i23', 'big.af', { sizeHint: text.length });
    const expected = new Set(lines.slice(1));
    expect(af.count).toBe(n);
    expect(af.attackCount).toBe(expected.size);
  });
});

describe('APX reader and writer', () => {
  it('round-trips names (quoted when needed) and attacks, whatever the chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(nameArb, { maxLength: 10 })
          .chain((names) =>
            fc.tuple(
              fc.constant(names),
              names.length === 0
                ? fc.constant([] as Array<[number, number]>)
                : fc.array(fc.tuple(fc.nat(names.length - 1), fc.nat(names.length - 1)), { maxLength: 30 }),
            ),
          ),
        cutsArb,
        async ([names, attacks], cuts) => {
          const af = buildFramework(names.length, attacks, names);
          const back = await readFramework(pieces(writeApx(af), cuts), 'apx');
          expect(back.names).toEqual(names);
          expect(attackSet(back)).toEqual(attackSet(af));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads several statements a line, comments, and attacks before declarations', async () => {
    const af = await readFramework(
      '% triage\natt(b, a). arg(a). arg(b).\narg(c).att(c,b). % c defeats b\n',
      'apx',
    );
    expect(af.names).toEqual(['a', 'b', 'c']);
    expect(attackSet(af)).toEqual(['b>a', 'c>b']);
  });

  it('reports malformed APX with its line and a stable code', async () => {
    await expectFormatError('', 'apx', 'SOLVER_EMPTY_FILE', 1);
    await expectFormatError('arg(a).\narg(b).\natt(a,c).\n', 'apx', 'SOLVER_UNDECLARED_ARGUMENT', 3);
    await expectFormatError('arg(a).\natt(a,\n', 'apx', 'SOLVER_TRUNCATED_LINE', 2);
    await expectFormatError('arg(a).\nattack(a,a).\n', 'apx', 'SOLVER_BAD_TOKEN', 2);
    await expectFormatError('arg(a,b).\n', 'apx', 'SOLVER_BAD_TOKEN', 1);
    await expectFormatError(Buffer.from('arg(a).\narg(\u0000b).\n'), 'apx', 'SOLVER_BINARY', 2);
    await expectFormatError(
      Buffer.from([0x61, 0x72, 0x67, 0x28, 0xc3, 0x28, 0x29, 0x2e]),
      'apx',
      'SOLVER_BINARY',
      1,
    );
  });
});

describe('TGF reader and writer', () => {
  it('round-trips names and attacks, whatever the chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .uniqueArray(fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/), { maxLength: 10 })
          .chain((names) =>
            fc.tuple(
              fc.constant(names),
              names.length === 0
                ? fc.constant([] as Array<[number, number]>)
                : fc.array(fc.tuple(fc.nat(names.length - 1), fc.nat(names.length - 1)), { maxLength: 30 }),
            ),
          ),
        cutsArb,
        async ([names, attacks], cuts) => {
          const af = buildFramework(names.length, attacks, names);
          const back = await readFramework(pieces(writeTgf(af), cuts), 'tgf');
          expect(back.names).toEqual(names);
          expect(attackSet(back)).toEqual(attackSet(af));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ignores node and edge labels and refuses unwritable names', async () => {
    const af = await readFramework('1 first node\n2\n#\n2 1 attacks\n', 'tgf');
    expect(af.names).toEqual(['1', '2']);
    expect(attackSet(af)).toEqual(['2>1']);
    expect(() => writeTgf(buildFramework(1, [], ['two words']))).toThrow(
      expect.objectContaining({ code: 'SOLVER_UNWRITABLE_NAME' }),
    );
  });

  it('reports malformed TGF with its line and a stable code', async () => {
    await expectFormatError('', 'tgf', 'SOLVER_EMPTY_FILE', 1);
    await expectFormatError('a\nb\n#\na b\nb c\n', 'tgf', 'SOLVER_UNDECLARED_ARGUMENT', 5);
    await expectFormatError('a\nb\n#\na\n', 'tgf', 'SOLVER_TRUNCATED_LINE', 4);
    await expectFormatError(Buffer.from('a\n\u0001\u0002\n'), 'tgf', 'SOLVER_BINARY', 2);
  });
});

describe('byte order mark', () => {
  const texts: Record<ReadableFormat, string> = {
    i23: 'p af 3\n1 2\n2 3\n',
    apx: 'arg(a).\narg(b).\narg(c).\natt(a,b).\natt(b,c).\n',
    tgf: 'a\nb\nc\n#\na b\nb c\n',
  };

  it('drops a UTF-8 BOM at the start in every format, whatever the chunk boundaries', async () => {
    for (const format of Object.keys(texts) as ReadableFormat[]) {
      const text = `\uFEFF${texts[format]}`;
      for (const cuts of [[], [1], [2], [1, 2], [3], [1, 2, 3, 4]]) {
        const af = await readFramework(pieces(text, cuts), format);
        expect(af.count).toBe(3);
        expect(attackSet(af)).toHaveLength(2);
        expect(groundedLabelling(af).inArguments()).toEqual([0, 2]);
      }
    }
  });

  it('still refuses a BOM inside the text, and a lone BOM is an empty file', async () => {
    await expect(readFramework('p af 2\n\uFEFF1 2\n', 'i23')).rejects.toThrow(SolverFormatError);
    await expect(readFramework('\uFEFF', 'i23')).rejects.toMatchObject({ code: 'SOLVER_EMPTY_FILE' });
  });
});

describe('DOT and JSON writers', () => {
  const af = buildFramework(
    3,
    [
      [1, 0],
      [2, 1],
    ],
    ['give "aspirin"', 'bleeding', 'endoscopy\nclear'],
  );
  const labelling = groundedLabelling(af);

  it('writes DOT with escaped names and label colours', () => {
    const dot = writeDot(af, labelling);
    expect(dot.startsWith('digraph "af" {')).toBe(true);
    expect(dot).toContain('n0 [label="give \\"aspirin\\"\\nIN", shape=ellipse, fillcolor="#c8e6c9"];');
    expect(dot).toContain('n1 [label="bleeding\\nOUT", shape=ellipse, fillcolor="#ffcdd2"];');
    expect(dot).toContain('label="endoscopy\\nclear\\nIN"');
    expect(dot).toContain('n1 -> n0;');
    expect(dot).toContain('n2 -> n1;');
    expect(writeDot(af)).toContain('n1 [label="bleeding", shape=ellipse];');
  });

  it('draws DOT with a style: name, node text and shape, attack labels', () => {
    const dot = writeDot(af, undefined, {
      name: 'case',
      text: (a) => `#${a}`,
      box: (a) => a === 0,
      attackLabel: (from, to) => (from === 2 ? `q${to}` : undefined),
    });
    expect(dot).toContain('digraph "case" {');
    expect(dot).toContain('n0 [label="#0", shape=box];');
    expect(dot).toContain('n2 -> n1 [label="q1"];');
    expect(dot).toContain('n1 -> n0;');
  });

  it('writes JSON with ids, names, labels and attacks', () => {
    expect(JSON.parse(writeJson(af, labelling))).toEqual({
      arguments: [
        { id: 0, name: 'give "aspirin"', label: 'IN' },
        { id: 1, name: 'bleeding', label: 'OUT' },
        { id: 2, name: 'endoscopy\nclear', label: 'IN' },
      ],
      attacks: [
        [1, 0],
        [2, 1],
      ],
    });
    expect(writeFramework(af, 'json')).toBe(writeJson(af));
  });
});

describe('inferFormat', () => {
  it('maps extensions to formats', () => {
    expect(inferFormat('x/y.af')).toBe('i23');
    expect(inferFormat('Y.I23')).toBe('i23');
    expect(inferFormat('a.apx')).toBe('apx');
    expect(inferFormat('a.tgf')).toBe('tgf');
    expect(inferFormat('a.txt')).toBeUndefined();
    expect(inferFormat('dir.af/file')).toBeUndefined();
  });
});
