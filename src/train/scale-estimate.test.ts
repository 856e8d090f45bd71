import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE } from './recipe';
import { DEFAULT_GPU, estimateRecipe, estimateStage, SCALE_SHAPES } from './scale-estimate';

const seven = SCALE_SHAPES.find((s) => s.name.startsWith('7B'))!;

describe('scale estimates', () => {
  it('match a hand calculation for the default recipe on a Llama-2-7B shape', () => {
    // s = 50 + 48 + 24 = 122, b = 8 (SFT) / 16 (DPO). Worked by hand:
    // weights 2 × 6.74e9 B = 12.554 GiB; activations 32·122·8·4096·(34 + 5·32·122/4096)
    // = 4.619 GiB; logits 8·122·32000·10 B = 0.291 GiB; + 1 GiB = 18.464 GiB.
    // Compute 4·6.74e9·8·122 = 26.31 TFLOP at 312 × 0.3 → 0.2811 s (> 13.5 ms of weight reads).
    const { sft, dpo } = estimateRecipe(seven, DEFAULT_RECIPE);
    expect(sft.seqLen).toBe(122);
    expect(sft.weightsGiB).toBeCloseTo(12.554, 3);
    expect(sft.activationsGiB).toBeCloseTo(4.619, 3);
    expect(sft.logitsGiB).toBeCloseTo(0.291, 3);
    expect(sft.totalGiB).toBeCloseTo(18.464, 3);
    expect(sft.secondsPerUpdate).toBeCloseTo(0.2811, 4);
    expect(dpo.sequences).toBe(16);
    expect(dpo.totalGiB).toBeCloseTo(23.373, 3);
    expect(dpo.secondsPerUpdate).toBeCloseTo(0.5622, 4);
  });

  it('is bound by reading the weights when the micro-batch is tiny', () => {
    const e = estimateStage(seven, { seqLen: 10, sequences: 1, gradAccumulation: 1 });
    // 2 passes × 13.48e9 B at 2.0 TB/s = 13.48 ms, above 4·6.74e9·10 FLOP at 93.6 TFLOP/s = 2.9 ms.
    expect(e.secondsPerUpdate).toBeCloseTo((2 * 2 * 6.74e9) / (DEFAULT_GPU.bandwidthTBs * 1e12), 9);
  });

  it('grows with model size', () => {
    const totals = SCALE_SHAPES.map((s) => estimateRecipe(s, DEFAULT_RECIPE).dpo.totalGiB);
    expect(totals[0]).toBeLessThan(totals[1]);
    expect(totals[1]).toBeLessThan(totals[2]);
  });
});
