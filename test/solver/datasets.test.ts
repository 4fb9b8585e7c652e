/**
 * Public ICCMA/ASPARTIX instances (../shared/datasets/af-instances beside the repository) against their
 * expected grounded extensions in expected/*.SE-GR, read through the streaming readers.
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { groundedLabelling, inferFormat, readFramework } from '../../solver/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const folder = path.resolve(repoRoot, '../shared/datasets/af-instances');
const present = existsSync(path.join(folder, 'expected'));
const instances = present
  ? readdirSync(folder).filter(
      (f) =>
        inferFormat(f) !== undefined &&
        existsSync(path.join(folder, 'expected', `${path.parse(f).name}.SE-GR`)),
    )
  : [];

if (!present) console.warn(`solver datasets: ${folder} is absent; the public instance tests are skipped`);

describe.skipIf(!present)('public af-instances against expected SE-GR answers', () => {
  it('finds instances with expected answers', () => {
    expect(instances.length).toBeGreaterThanOrEqual(20);
  });

  it.each(instances)('%s', async (file) => {
    const af = await readFramework(
      createReadStream(path.join(folder, file), { highWaterMark: 4096 }),
      inferFormat(file)!,
      file,
    );
    const expected = readFileSync(path.join(folder, 'expected', `${path.parse(file).name}.SE-GR`), 'utf8')
      .trim()
      .split(/\s+/);
    expect(expected[0]).toBe('w');
    const extension = groundedLabelling(af)
      .inArguments()
      .map((a) => af.nameOf(a));
    expect(extension.sort()).toEqual(expected.slice(1).sort());
  });
});
