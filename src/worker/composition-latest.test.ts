import { describe, expect, it } from 'vitest';
import type { CompositionReport } from '../eval/composition-report';
import { compositionFor, noteCompositionReport } from './composition-latest';

const gap = (value: number) => ({
  value,
  interval: { lo: 0, hi: 0, level: 0.95, resamples: 1, seed: 1, n: 1, undefinedResamples: 0 },
  n: 1,
});
const loss = { value: 0, interval: gap(0).interval };

describe('compositionFor', () => {
  it('gives the noted report summary for that order, with parents named by hash', () => {
    const report: CompositionReport = {
      members: [
        { id: 'a', name: 'A', domains: ['toxicity'] },
        { id: 'b', name: 'B', domains: ['bias'] },
      ],
      orders: [
        ['a', 'b'],
        ['b', 'a'],
      ],
      rows: [
        {
          domain: 'toxicity',
          metricId: 't',
          ownerId: 'a',
          alone: gap(0.8),
          cells: [
            { order: ['a', 'b'], stacked: gap(0.4), loss },
            { order: ['b', 'a'], stacked: gap(0.6), loss },
          ],
        },
      ],
      meanStacked: [0.4, 0.6],
      recommended: 1,
    };
    noteCompositionReport(report);
    const hash = (id: string) => id.repeat(3);
    expect(compositionFor(['a', 'b'], hash)).toEqual({
      order: ['aaa', 'bbb'],
      domains: [{ domain: 'toxicity', alone: 0.8, stacked: 0.4 }],
      evaluatedOrders: 2,
      recommendedOrder: ['bbb', 'aaa'],
    });
    expect(compositionFor(['a', 'c'], hash)).toBeNull();
  });
});
