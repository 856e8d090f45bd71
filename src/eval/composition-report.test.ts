// Hand-worked checks of the composition report on synthetic reports: the
// numbers below are computed by hand from the per-prompt values.
import { describe, expect, it } from 'vitest';
import {
  allOrders,
  CompositionError,
  compositionReport,
  compositionSummary,
  defaultOrderChoice,
  lossWithInterval,
  ordersToEvaluate,
  runComposition,
} from './composition-report';
import type { EvalReport } from './report';

/** A report with one toxicity and one refusal metric, per prompt (mean aggregate). */
function report(label: string, tox: number[], refusal: number[]): EvalReport {
  const metric = (id: string, values: number[]) => ({
    id,
    label: id,
    value: values.reduce((a, b) => a + b, 0) / values.length,
    better: 'lower' as const,
    perPrompt: { aggregate: 'mean' as const, keys: values.map((_, i) => `p${i}`), values },
  });
  return {
    label,
    patched: label !== 'M' && label !== 'M′',
    sampling: { maxNewTokens: 1, temperature: 1, topK: 0, topP: 1, seed: 1 },
    samplesPerPrompt: 1,
    scorers: { toxicity: 't', refusal: 'r', gender: 'g' },
    metrics: [metric('toxicity.expectedMax', tox), metric('harmful.refusalRate', refusal)],
    elapsedMs: 0,
  } as EvalReport;
}

const M = report('M', [1, 1, 1, 1], [0, 0, 0, 0]);
const REF = report('M′', [0, 0, 0, 0], [1, 1, 1, 1]);
const members = [
  { id: 'T', name: 'tox', domains: ['toxicity' as const] },
  { id: 'H', name: 'harm', domains: ['harmful' as const] },
];
// T alone closes all of the toxicity gap; H alone closes 3/4 of the refusal gap.
const alone = {
  T: report('T', [0, 0, 0, 0], [0, 0, 0, 0]),
  H: report('H', [1, 1, 1, 1], [1, 1, 1, 0]),
};
// T→H keeps toxicity at 3/4 and refusal at 1/2; H→T keeps toxicity at 1/4 and refusal at 3/4.
const TH = report('T→H', [0, 0, 0, 1], [1, 1, 0, 0]);
const HT = report('H→T', [1, 1, 1, 0], [1, 1, 1, 0]);

describe('orders', () => {
  it('lists all k! orders and validates a chosen subset', () => {
    expect(allOrders(['a', 'b', 'c'])).toEqual([
      ['a', 'b', 'c'],
      ['a', 'c', 'b'],
      ['b', 'a', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['c', 'b', 'a'],
    ]);
    expect(ordersToEvaluate(['a', 'b', 'c', 'd'])).toHaveLength(24);
    expect(ordersToEvaluate(['a', 'b', 'c', 'd'], [['d', 'c', 'b', 'a']])).toEqual([
      ['d', 'c', 'b', 'a'],
    ]);
    expect(() => ordersToEvaluate(['a'])).toThrow(CompositionError);
    expect(() => ordersToEvaluate(['a', 'b', 'c', 'd', 'e'])).toThrow(/at most 4/);
    expect(() => ordersToEvaluate(['a', 'a'])).toThrow(/same patch twice/);
    // Up to 3 patches every order runs; a chosen subset is for 4.
    expect(() => ordersToEvaluate(['a', 'b', 'c'], [['a', 'b', 'c']])).toThrow(
      'A stack of 3 patches runs all 6 orders; choosing orders is for 4 patches.',
    );
    const four = ['a', 'b', 'c', 'd'];
    expect(() => ordersToEvaluate(four, [])).toThrow('Choose at least one order to evaluate.');
    expect(() => ordersToEvaluate(four, [four, ['a', 'b']])).toThrow(
      'Order 2 lists 2 patches; the stack has 4.',
    );
    expect(() => ordersToEvaluate(four, [['a', 'b', 'c', 'e']])).toThrow(
      'Order 1 names "e", which is not in the stack.',
    );
    expect(() => ordersToEvaluate(four, [['a', 'a', 'b', 'c']])).toThrow(
      'Order 1 uses a patch twice.',
    );
    expect(() => ordersToEvaluate(four, [four, four])).toThrow('Order 2 repeats order 1.');
  });

  it('starts a 4-stack with the listed order, its reverse and its rotations', () => {
    expect(defaultOrderChoice(['a', 'b', 'c', 'd'])).toEqual([
      ['a', 'b', 'c', 'd'],
      ['d', 'c', 'b', 'a'],
      ['b', 'c', 'd', 'a'],
      ['c', 'd', 'a', 'b'],
      ['d', 'a', 'b', 'c'],
    ]);
    // Every default is a valid choice.
    expect(
      ordersToEvaluate(['a', 'b', 'c', 'd'], defaultOrderChoice(['a', 'b', 'c', 'd'])),
    ).toHaveLength(5);
    expect(defaultOrderChoice(['a', 'b'])).toEqual([
      ['a', 'b'],
      ['b', 'a'],
    ]);
  });
});

describe('compositionReport', () => {
  const r = compositionReport({
    members,
    base: M,
    reference: REF,
    alone,
    orders: [
      ['T', 'H'],
      ['H', 'T'],
    ],
    stacked: [TH, HT],
  });

  it('gives gap closed alone and stacked and the loss per domain and order', () => {
    expect(r.rows.map((x) => x.domain)).toEqual(['toxicity', 'harmful']);
    const [tox, harm] = r.rows;
    expect(tox.alone.value).toBeCloseTo(1);
    expect(tox.cells.map((c) => c.stacked.value)).toEqual([0.75, 0.25]);
    expect(tox.cells.map((c) => c.loss.value)).toEqual([0.25, 0.75]);
    expect(harm.alone.value).toBeCloseTo(0.75);
    expect(harm.cells.map((c) => c.stacked.value)).toEqual([0.5, 0.75]);
    expect(harm.cells.map((c) => c.loss.value)).toEqual([0.25, 0]);
    // Means: T→H (0.75 + 0.5) / 2 = 0.625, H→T (0.25 + 0.75) / 2 = 0.5.
    expect(r.meanStacked).toEqual([0.625, 0.5]);
    expect(r.recommended).toBe(0);
  });

  it('pairs the loss interval over prompts', () => {
    // Toxicity, H→T: alone closes 1 on every resample; stacked closes the share of
    // drawn prompts that are prompt 3, so the loss is 1 − that share, within [0, 1].
    const loss = r.rows[0].cells[1].loss;
    expect(loss.interval.n).toBe(4);
    expect(loss.interval.lo).toBeGreaterThanOrEqual(0);
    expect(loss.interval.hi).toBeLessThanOrEqual(1);
    expect(loss.interval.lo).toBeLessThan(0.75);
    expect(loss.interval.hi).toBeGreaterThan(0.75);
    // Refusal, H→T equals H alone on every prompt: paired, the loss is 0 on every resample.
    const zero = r.rows[1].cells[1].loss;
    expect([zero.interval.lo, zero.interval.hi]).toEqual([0, 0]);
  });

  it('says why a loss has no interval when prompts differ', () => {
    const other = {
      ...TH,
      metrics: TH.metrics.map((m) => ({
        ...m,
        perPrompt: { ...m.perPrompt!, keys: ['x', 'y', 'z', 'w'] },
      })),
    };
    const l = lossWithInterval('toxicity.expectedMax', M, REF, alone.T, other);
    expect(l.interval.undefinedReason).toMatch(/same prompts/);
  });

  it('summarises one order for the manifest', () => {
    expect(compositionSummary(r, ['H', 'T'])).toEqual({
      order: ['H', 'T'],
      domains: [
        { domain: 'toxicity', alone: 1, stacked: 0.25 },
        { domain: 'harmful', alone: 0.75, stacked: 0.75 },
      ],
      evaluatedOrders: 2,
      recommendedOrder: ['T', 'H'],
    });
    expect(() => compositionSummary(r, ['X'])).toThrow(/not part/);
  });
});

describe('runComposition', () => {
  it('evaluates each patch alone, then every order, with progress, and stops when cancelled', async () => {
    const byOrder: Record<string, EvalReport> = { T: alone.T, H: alone.H, 'T,H': TH, 'H,T': HT };
    const calls: string[] = [];
    const progress: number[] = [];
    const out = await runComposition({
      members,
      base: M,
      reference: REF,
      evaluateStack: async (o) => {
        calls.push(o.join(','));
        return byOrder[o.join(',')];
      },
      onProgress: (p) => progress.push(p.done),
    });
    expect(calls).toEqual(['T', 'H', 'T,H', 'H,T']);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
    expect(out.report.meanStacked).toEqual([0.625, 0.5]);

    let n = 0;
    await expect(
      runComposition({
        members,
        base: M,
        reference: REF,
        evaluateStack: async (o) => byOrder[o.join(',')],
        checkCancelled: () => {
          if (++n > 2) throw new Error('cancelled');
        },
      }),
    ).rejects.toThrow('cancelled');
    expect(n).toBe(3);
  });
});
