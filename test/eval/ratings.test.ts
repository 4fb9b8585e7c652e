/**
 * Human ratings: Krippendorff's alpha on known values, the CSV import (all rows or none), the summary, and
 * the ratings table on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { krippendorffAlphaInterval, parseRatingsCsv, ratingsCsv, summariseRatings } from '../../src/eval/ratings/index.js';
import { listRatings, type RatingRow, upsertRating } from '../../src/store/index.js';
import { DIALECTS, openTestStore, type TestStore } from '../store/test-stores.js';

describe('krippendorffAlphaInterval', () => {
  it('is 1 for perfect agreement', () => {
    expect(krippendorffAlphaInterval([[1, 1], [3, 3], [5, 5]])).toBe(1);
  });
  it('is negative for systematic disagreement (worked example)', () => {
    // values 1,2 | 2,1: D_o = (2 + 2) / 4 = 1; D_e = 8 / (4 · 3) = 2/3; alpha = 1 − 1.5 = −0.5
    expect(krippendorffAlphaInterval([[1, 2], [2, 1]])).toBeCloseTo(-0.5, 12);
  });
  it('leaves out units with one rating and is null without pairable values or variation', () => {
    expect(krippendorffAlphaInterval([[1, 1], [3, 3], [4]])).toBe(1);
    expect(krippendorffAlphaInterval([[4], [2]])).toBeNull();
    expect(krippendorffAlphaInterval([[3, 3], [3, 3]])).toBeNull();
  });
  it('matches a hand computation with three raters and missing values', () => {
    // units [1,2,1], [4,4], [2,3]: n = 7; D_o = (4/2 + 0 + 2/1) / 7 = 4/7;
    // all values 1,2,1,4,4,2,3: Σ_i<j (vi − vj)² = n · Σ(v − mean)² = 7 · (51 − 289/7) = 68; ordered pairs 136;
    // D_e = 136 / (7 · 6); alpha = 1 − (4/7) / (136/42) = 14/17
    expect(krippendorffAlphaInterval([[1, 2, 1], [4, 4], [2, 3]])).toBeCloseTo(14 / 17, 12);
  });
});

describe('ratings CSV', () => {
  const row = (rater: string, item: string, v: number): RatingRow => ({
    run_id: 'ev-1', item_key: item, method: 'argmed', rater, correctness: v, completeness: v, clarity: v, trust: v, comment: 'a, "quoted"\nline', source: 'page', rated_at: '2026-12-03T00:00:00Z',
  });
  it('round-trips through export and import', () => {
    const rows = [row('name:a', 'i1', 4), row('name:b', 'i1', 5)];
    const back = parseRatingsCsv(ratingsCsv(rows), 'ev-1');
    expect(back.problems).toEqual([]);
    expect(back.rows.map((r) => [r.rater, r.item_key, r.correctness, r.comment])).toEqual([
      ['name:a', 'i1', 4, 'a, "quoted"\nline'],
      ['name:b', 'i1', 5, 'a, "quoted"\nline'],
    ]);
  });
  it('reports every bad row with its line and column', () => {
    const text = 'item,method,rater,correctness,completeness,clarity,trust\ni1,argmed,a,4,4,4,4\ni2,argmed,a,6,4,4,4\n,argmed,a,1,1,1,1\n';
    const { problems } = parseRatingsCsv(text, 'ev-1');
    expect(problems).toEqual([
      { line: 3, column: 'correctness', message: 'must be a whole number from 1 to 5, got "6"' },
      { line: 4, column: 'item', message: 'is empty' },
    ]);
    expect(parseRatingsCsv('item,method\n', 'ev-1').problems[0]).toMatchObject({ column: 'rater' });
  });
});

describe('summariseRatings', () => {
  it('means per method and alpha per dimension', () => {
    const base = { run_id: 'r', comment: null, source: 'page', rated_at: '' };
    const rows: RatingRow[] = [
      { ...base, item_key: 'i1', method: 'argmed', rater: 'a', correctness: 5, completeness: 4, clarity: 3, trust: 1 },
      { ...base, item_key: 'i1', method: 'argmed', rater: 'b', correctness: 5, completeness: 2, clarity: 3, trust: 1 },
      { ...base, item_key: 'i2', method: 'argmed', rater: 'a', correctness: 1, completeness: 4, clarity: 3, trust: 1 },
      { ...base, item_key: 'i2', method: 'argmed', rater: 'b', correctness: 1, completeness: 2, clarity: 3, trust: 1 },
    ];
    const s = summariseRatings(rows)!;
    expect(s).toMatchObject({ ratings: 4, raters: 2, units: 2, pairableUnits: 2 });
    expect(s.alpha.correctness).toBe(1);
    expect(s.alpha.clarity).toBeNull();
    expect(s.perMethod.argmed.mean.completeness).toBe(3);
    expect(summariseRatings([])).toBeUndefined();
  });
});

describe.each(DIALECTS)('eval_ratings on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store?.close();
  });
  it('stores a rating per rater, replaces a rater\'s second rating, lists in a stable order', async () => {
    const row = (rater: string, v: number): RatingRow => ({
      run_id: 'ev-x', item_key: 'i1', method: 'argmed', rater, correctness: v, completeness: v, clarity: v, trust: v, comment: null, source: 'page', rated_at: 't',
    });
    await upsertRating(store.db, row('name:b', 2));
    await upsertRating(store.db, row('name:a', 3));
    await upsertRating(store.db, row('name:a', 5));
    const rows = await listRatings(store.db, 'ev-x');
    expect(rows.map((r) => [r.rater, r.correctness])).toEqual([
      ['name:a', 5],
      ['name:b', 2],
    ]);
    expect(await listRatings(store.db, 'ev-other')).toEqual([]);
  });
});
