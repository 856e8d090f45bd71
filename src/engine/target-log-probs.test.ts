// The head's target log-probs in blocks of rows: values and input gradient
// against a float64 computation by hand, for both weight layouts, a split
// table and several blocks; and the memory the blocks exist for.
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backends';
import { Linear } from './linear';
import { trackPeakBytes } from './peak-bytes';
import { Rng } from './rng';
import { headTargetLogProbs, pickLogProbs } from './target-log-probs';
import { tf } from './tf';
import { VocabTable } from './vocab-table';

const [M, H, V] = [7, 5, 11];

/** log softmax(x W^T)[t] per row and d(sum_i dy_i lp_i)/dx, in float64. */
function reference(x: number[][], w: number[][], targets: number[], dy: number[]) {
  const lp: number[] = [];
  const grad: number[][] = [];
  x.forEach((xi, i) => {
    const logits = w.map((row) => row.reduce((a, wj, j) => a + wj * xi[j], 0));
    const m = Math.max(...logits);
    const lse = m + Math.log(logits.reduce((a, l) => a + Math.exp(l - m), 0));
    lp.push(logits[targets[i]] - lse);
    const p = logits.map((l) => Math.exp(l - lse));
    grad.push(
      xi.map((_, j) => dy[i] * (w[targets[i]][j] - p.reduce((a, pk, k) => a + pk * w[k][j], 0))),
    );
  });
  return { lp, grad };
}

function random(rows: number, cols: number, rng: Rng, scale = 1): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => scale * rng.normal()),
  );
}

describe.each(['cpu', 'wasm'] as const)('headTargetLogProbs on %s', (backend) => {
  beforeAll(async () => {
    expect(await useBackend(backend)).toEqual({ ok: true });
  });

  const rng = new Rng(3);
  const x = random(M, H, rng);
  const w = random(V, H, rng, 0.7);
  const targets = Int32Array.from({ length: M }, (_, i) => (i * 4 + 1) % V);
  const dy = Array.from({ length: M }, (_, i) => 0.5 + i * 0.25);
  const want = reference(x, w, [...targets], dy);

  const heads = {
    'tied table ([vocab, hidden], used in place)': () => {
      const table = tf.tensor2d(w);
      return { head: Linear.sharedOutIn(table), free: () => table.dispose() };
    },
    'untied head ([hidden, vocab] after the load-time transpose)': () => {
      const head = Linear.fromOutIn(tf.tensor2d(w));
      return { head, free: () => head.dispose() };
    },
    'table split into 3-row parts': () => {
      const table = VocabTable.create(tf.tensor2d(w), { maxBytes: 3 * H * 4 * M, maxRows: 3 });
      expect(table.partCount).toBe(4);
      return { head: table.asHead(), free: () => table.dispose() };
    },
  };

  it.each(Object.keys(heads))('%s: values and input gradient, in 1, 3 and 7 blocks', (name) => {
    const { head, free } = heads[name as keyof typeof heads]();
    const products = head.products();
    expect(products).not.toBeNull();
    for (const blockRows of [M, 3, 1]) {
      const xs = tf.tensor2d(x);
      const f = (xi: tf.Tensor) =>
        tf.sum(
          tf.mul(
            headTargetLogProbs(products!, xi as tf.Tensor2D, targets, {
              withGrad: true,
              blockRows,
            }),
            tf.tensor1d(dy),
          ),
        );
      const lp = headTargetLogProbs(products!, xs, targets, { withGrad: false, blockRows });
      const g = tf.grad(f)(xs);
      const lpv = lp.dataSync();
      const gv = g.dataSync();
      for (let i = 0; i < M; i++) {
        expect(lpv[i]).toBeCloseTo(want.lp[i], 4);
        for (let j = 0; j < H; j++) expect(gv[i * H + j]).toBeCloseTo(want.grad[i][j], 4);
      }
      tf.dispose([xs, lp, g]);
    }
    free();
  });

  it('refuses a target outside the vocabulary and a target count that does not match', () => {
    const table = tf.tensor2d(w);
    const products = Linear.sharedOutIn(table).products()!;
    const xs = tf.tensor2d(x);
    const bad = Int32Array.from(targets);
    bad[2] = V;
    expect(() => headTargetLogProbs(products, xs, bad, { withGrad: false })).toThrow(
      `target token ${V} is outside the vocabulary (0..${V - 1})`,
    );
    expect(() =>
      headTargetLogProbs(products, xs, targets.subarray(1), { withGrad: false }),
    ).toThrow(`${M} rows but ${M - 1} targets`);
    tf.dispose([table, xs]);
  });

  it('has no products for a trainable head (its gradient must come from the tape)', () => {
    const v = tf.variable(tf.tensor2d(w));
    expect(Linear.sharedOutIn(v).products()).toBeNull();
    v.dispose();
  });
});

describe('the memory blocks of rows save (wasm)', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toEqual({ ok: true });
  });

  it('holds three [block, vocab] tensors at a time, where the plain path holds several [rows, vocab]', async () => {
    const [rows, hidden, vocab, block] = [64, 32, 8192, 8];
    const table = tf.randomNormal([vocab, hidden], 0, 0.1) as tf.Tensor2D;
    const head = Linear.sharedOutIn(table);
    const targets = Int32Array.from({ length: rows }, (_, i) => (i * 131) % vocab);
    const x = tf.variable(tf.randomNormal([rows, hidden]) as tf.Tensor2D);
    const step = async (f: () => tf.Scalar) => {
      const { peakBytes, startBytes } = await trackPeakBytes(async () => {
        const { value, grads } = tf.variableGrads(f, [x]);
        await grads[x.name].data();
        tf.dispose([value, ...Object.values(grads)]);
      });
      return peakBytes - startBytes;
    };
    const blocked = await step(() =>
      tf.sum(
        headTargetLogProbs(head.products()!, x, targets, { withGrad: true, blockRows: block }),
      ),
    );
    const plain = await step(() => tf.sum(pickLogProbs(head.apply(x), targets)));
    const logitsBytes = rows * vocab * 4;
    // Plain: the logits kept for the backward, plus softmax, one-hot and their difference there.
    expect(plain).toBeGreaterThan(3 * logitsBytes);
    // Blocked: three [8, vocab] tensors (inside logSumExp), and [rows, hidden]
    // tensors: g, its scaled copy, the gradient sum; small change.
    expect(blocked).toBeLessThan(3 * block * vocab * 4 + 4 * rows * hidden * 4 + 16 * 1024);
    tf.dispose([table, x]);
  });
});
