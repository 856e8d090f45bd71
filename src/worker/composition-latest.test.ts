// The stored composition reports as the library's compose step and a reload
// read them: matched by the patches' tensor hashes, for an order the report
// measured, surviving a new store on the same database, pruned oldest first.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { CompositionReport } from '../eval/composition-report';
import { DEFAULT_EVAL_CONFIG } from '../protocol/eval-defaults';
import type { CompositionResult } from '../protocol/messages';
import {
  compositionFor,
  latestCompositionResult,
  noteCompositionResult,
  useCompositionStore,
} from './composition-latest';
import {
  CompositionStore,
  compositionReportKey,
  MAX_COMPOSITION_RECORDS,
} from './composition-store';

const gap = (value: number) => ({
  value,
  interval: { lo: 0, hi: 0, level: 0.95, resamples: 1, seed: 1, n: 1, undefinedResamples: 0 },
  n: 1,
});
const loss = { value: 0, interval: gap(0).interval };
const H = (c: string) => c.repeat(64);

function resultFor(ids: [string, string]): CompositionResult {
  const [a, b] = ids;
  const report: CompositionReport = {
    members: [
      { id: a, name: 'A', domains: ['toxicity'] },
      { id: b, name: 'B', domains: ['bias'] },
    ],
    orders: [
      [a, b],
      [b, a],
    ],
    rows: [
      {
        domain: 'toxicity',
        metricId: 't',
        ownerId: a,
        alone: gap(0.8),
        cells: [
          { order: [a, b], stacked: gap(0.4), loss },
          { order: [b, a], stacked: gap(0.6), loss },
        ],
      },
    ],
    meanStacked: [0.4, 0.6],
    recommended: 1,
  };
  return {
    patchIds: ids,
    report,
    config: DEFAULT_EVAL_CONFIG,
    configKey: 'cfg',
    cachedEvaluations: 0,
    cachedReport: false,
    computedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('stored composition reports', () => {
  it('give the summary for a measured order, with parents named by hash, also after a reload', async () => {
    useCompositionStore(new CompositionStore('latest-test-1'));
    await noteCompositionResult({
      key: 'k1',
      result: resultFor(['a', 'b']),
      hashes: [H('a'), H('b')],
      savedAt: 1,
    });
    useCompositionStore(new CompositionStore('latest-test-1'));
    expect(await compositionFor([H('a'), H('b')])).toEqual({
      order: [H('a'), H('b')],
      domains: [{ domain: 'toxicity', alone: 0.8, stacked: 0.4 }],
      evaluatedOrders: 2,
      recommendedOrder: [H('b'), H('a')],
    });
    // The other order, named by the same hashes.
    expect((await compositionFor([H('b'), H('a')]))?.domains[0].stacked).toBe(0.6);
    expect(await compositionFor([H('a'), H('c')])).toBeNull();
    expect((await latestCompositionResult())?.patchIds).toEqual(['a', 'b']);
  });

  it('match a re-imported copy (new library id, same rows) by its hash; the newest report wins', async () => {
    useCompositionStore(new CompositionStore('latest-test-2'));
    await noteCompositionResult({
      key: 'old',
      result: resultFor(['a', 'b']),
      hashes: [H('a'), H('b')],
      savedAt: 1,
    });
    const newer = resultFor(['x', 'y']);
    newer.report.rows[0].alone = gap(0.5);
    await noteCompositionResult({
      key: 'new',
      result: newer,
      hashes: [H('a'), H('b')],
      savedAt: 2,
    });
    expect((await compositionFor([H('a'), H('b')]))?.domains[0].alone).toBe(0.5);
    expect((await latestCompositionResult())?.patchIds).toEqual(['x', 'y']);
  });

  it('keep the newest MAX_COMPOSITION_RECORDS reports', async () => {
    const store = new CompositionStore('latest-test-3');
    for (let i = 0; i < MAX_COMPOSITION_RECORDS + 3; i++) {
      await store.put({
        key: `k${i}`,
        result: resultFor(['a', 'b']),
        hashes: [H('a'), H('b')],
        savedAt: i,
      });
    }
    const kept = await new CompositionStore('latest-test-3').all();
    expect(kept).toHaveLength(MAX_COMPOSITION_RECORDS);
    expect(kept[0].key).toBe(`k${MAX_COMPOSITION_RECORDS + 2}`);
    expect(kept.at(-1)?.key).toBe('k3');
  });
});

describe('compositionReportKey', () => {
  const parts = {
    baseFingerprint: 'fpM',
    referenceFingerprint: 'fpR',
    configKey: 'cfg',
    patchIds: ['a', 'b'],
    hashes: [H('a'), H('b')],
    orders: [
      ['a', 'b'],
      ['b', 'a'],
    ],
  };
  it('changes with every input the numbers depend on', () => {
    const k = compositionReportKey(parts);
    expect(compositionReportKey({ ...parts })).toBe(k);
    const variants = [
      { baseFingerprint: 'fpM2' },
      { referenceFingerprint: 'fpR2' },
      { configKey: 'cfg2' },
      // The same library id whose rows changed.
      { hashes: [H('a'), H('c')] },
      { patchIds: ['a', 'c'] },
      { orders: [['b', 'a']] },
      { patchIds: ['b', 'a'], hashes: [H('b'), H('a')] },
    ];
    const keys = variants.map((v) => compositionReportKey({ ...parts, ...v }));
    expect(new Set([k, ...keys]).size).toBe(variants.length + 1);
  });
});
