// Training loops for the demo world, written against the engine's CausalLM
// contract: full language-model training of every weight (the demo pair) and
// soft-prompt training of a prefix (the steerability check). Both are
// deterministic for a given seed: batches come from the seeded Rng and the
// optimiser is the project's float64-arithmetic Adam over plain arrays.
import { Rng } from '../../src/engine/rng';
import { tf } from '../../src/engine/tf';
import type { CausalLM } from '../../src/engine/types';
import { clipByGlobalNorm } from '../../src/train/clip';
import { Adam } from '../../src/train/optimizer';
import { type LrSchedule, lrAt } from '../../src/train/schedule';

export interface Batch {
  /** [b, t] input ids (right-padded). */
  ids: number[][];
  /** [b, t] target ids (the next token), with weight 0 where no loss is wanted. */
  targets: number[][];
  weights: number[][];
  /**
   * Random embedding vectors to put in front of every sequence of the batch
   * (`rows` of them, drawn from `seed`); see withNoisePrefix.
   */
  noise?: { rows: number; seed: number };
}

/**
 * One right-padded next-token batch. Padding sits at the end, where causal
 * attention keeps it from touching real positions; it carries no loss.
 * `lossFrom[i]` = first target position of sequence i that carries loss.
 */
export function makeBatch(seqs: number[][], padId: number, lossFrom?: number[]): Batch {
  const len = Math.max(...seqs.map((s) => s.length)) - 1;
  const batch: Batch = { ids: [], targets: [], weights: [] };
  seqs.forEach((s, i) => {
    const from = lossFrom?.[i] ?? 0;
    const ids: number[] = [];
    const targets: number[] = [];
    const weights: number[] = [];
    for (let t = 0; t < len; t++) {
      const real = t + 1 < s.length;
      ids.push(t < s.length ? s[t] : padId);
      targets.push(real ? s[t + 1] : padId);
      weights.push(real && t + 1 >= from ? 1 : 0);
    }
    batch.ids.push(ids);
    batch.targets.push(targets);
    batch.weights.push(weights);
  });
  return batch;
}

/**
 * An endless, seeded stream of batches. Each pool of 8 batches is sorted by
 * length so sequences of similar length share a batch (little compute spent
 * on padding), then the batches are visited in shuffled order.
 */
export function bucketedBatches(
  seqs: number[][],
  batchSize: number,
  padId: number,
  seed: number,
  lossFrom?: number[],
): () => Batch {
  const rng = new Rng(seed);
  const pool: number[][] = [];
  let order: number[] = [];
  let pos = 0;
  return () => {
    if (pool.length === 0) {
      if (pos + batchSize * 8 > order.length) {
        order = rng.shuffle([...seqs.keys()]);
        pos = 0;
      }
      const chunk = order.slice(pos, pos + batchSize * 8);
      pos += chunk.length;
      chunk.sort((a, b) => seqs[a].length - seqs[b].length || a - b);
      for (let i = 0; i < chunk.length; i += batchSize) pool.push(chunk.slice(i, i + batchSize));
      rng.shuffle(pool);
    }
    const idx = pool.pop()!;
    return makeBatch(
      idx.map((i) => seqs[i]),
      padId,
      lossFrom ? idx.map((i) => lossFrom[i]) : undefined,
    );
  };
}

/** Mean next-token cross-entropy over weighted positions; logits [b, t, V]. */
export function lmLoss(logits: tf.Tensor3D, batch: Batch): tf.Scalar {
  return tf.tidy(() => {
    const [b, t, v] = logits.shape;
    const flat = logits.reshape([b * t, v]);
    const logp = tf.logSoftmax(flat);
    const onehot = tf.oneHot(tf.tensor1d(batch.targets.flat(), 'int32'), v);
    const picked = tf.sum(tf.mul(logp, onehot), 1);
    const w = tf.tensor1d(batch.weights.flat());
    return tf.div(tf.neg(tf.sum(tf.mul(picked, w))), tf.maximum(tf.sum(w), 1)) as tf.Scalar;
  });
}

/** Flattens variables into one Float32Array (the optimiser's view) and back. */
class FlatParams {
  readonly offsets: number[] = [];
  readonly size: number;

  constructor(readonly vars: tf.Variable[]) {
    let o = 0;
    for (const v of vars) {
      this.offsets.push(o);
      o += v.size;
    }
    this.size = o;
  }

  read(): Float32Array {
    const out = new Float32Array(this.size);
    this.vars.forEach((v, i) => {
      out.set(v.dataSync() as Float32Array, this.offsets[i]);
    });
    return out;
  }

  write(flat: Float32Array): void {
    this.vars.forEach((v, i) => {
      const part = flat.subarray(this.offsets[i], this.offsets[i] + v.size);
      // assign() takes its own reference to the data; the temporary must still be disposed.
      const t = tf.tensor(part.slice(), v.shape);
      v.assign(t);
      t.dispose();
    });
  }
}

export interface TrainProgress {
  step: number;
  loss: number;
  lr: number;
  tokensPerSec: number;
}

export interface TrainOptions {
  steps: number;
  schedule: LrSchedule;
  clipNorm: number;
  weightDecay?: number;
  onProgress?: (p: TrainProgress) => void;
  progressEvery?: number;
}

/**
 * Minimises `lossOf(batch)` over `vars` with Adam (+ global-norm clipping and
 * optional decoupled weight decay on matrices). Returns the loss curve.
 */
export function trainLoop(
  vars: tf.Variable[],
  nextBatch: () => Batch,
  lossOf: (batch: Batch) => tf.Scalar,
  opts: TrainOptions,
): number[] {
  const flat = new FlatParams(vars);
  const params = flat.read();
  const adam = Adam.create(flat.size, { beta1: 0.9, beta2: 0.98, epsilon: 1e-8 });
  const decayMask = new Uint8Array(flat.size);
  vars.forEach((v, i) => {
    if (v.rank >= 2) decayMask.fill(1, flat.offsets[i], flat.offsets[i] + v.size);
  });
  const losses: number[] = [];
  let tokens = 0;
  let t0 = performance.now();
  for (let step = 0; step < opts.steps; step++) {
    const batch = nextBatch();
    tokens += batch.weights.flat().reduce((a, b) => a + b, 0);
    const grad = new Float32Array(flat.size);
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => lossOf(batch), vars);
      vars.forEach((v, i) => {
        grad.set(grads[v.name].dataSync() as Float32Array, flat.offsets[i]);
      });
      return value.dataSync()[0];
    });
    clipByGlobalNorm([grad], opts.clipNorm);
    const lr = lrAt(opts.schedule, step);
    if (opts.weightDecay) {
      const k = 1 - lr * opts.weightDecay;
      for (let i = 0; i < params.length; i++) if (decayMask[i]) params[i] *= k;
    }
    adam.step(params, grad, lr);
    flat.write(params);
    losses.push(loss);
    const every = opts.progressEvery ?? 50;
    if (opts.onProgress && ((step + 1) % every === 0 || step === opts.steps - 1)) {
      const dt = (performance.now() - t0) / 1000;
      const recent = losses.slice(-every);
      opts.onProgress({
        step: step + 1,
        loss: recent.reduce((a, b) => a + b, 0) / recent.length,
        lr,
        tokensPerSec: tokens / dt,
      });
      tokens = 0;
      t0 = performance.now();
    }
  }
  return losses;
}

/**
 * Marks a share of the batches for a prefix of 1..maxRows random vectors.
 * A patch is a run of free vectors in front of the prompt, and the control
 * every patch is compared with is such a run drawn at random; M learns here
 * that random vectors there change nothing, so only a prefix that carries a
 * safety cue can make it safe.
 */
export function withNoisePrefix(
  next: () => Batch,
  opts: { share: number; maxRows: number; seed: number },
): () => Batch {
  const rng = new Rng(opts.seed);
  return () => {
    const batch = next();
    if (rng.next() < opts.share) {
      // Seeds from 1000 up: the benchmark's random-patch control draws its
      // rows from seeds 1..5, and those exact vectors stay out of training.
      batch.noise = { rows: 1 + rng.int(opts.maxRows), seed: 1000 + rng.int(2 ** 30) };
    }
    return batch;
  };
}

/**
 * Rows of standard normal directions, each rescaled to exactly `norm`, as
 * src/patch/init.ts draws a random patch (the same construction, so the
 * corpus covers what the control looks like).
 */
export function randomRows(rows: number, hidden: number, norm: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(rows * hidden);
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: hidden }, () => rng.normal());
    const len = Math.sqrt(row.reduce((a, x) => a + x * x, 0)) || 1;
    for (let c = 0; c < hidden; c++) out[r * hidden + c] = (row[c] / len) * norm;
  }
  return out;
}

/**
 * Full-model LM training: every weight a Variable, embeddings included
 * (one-hot lookup). A batch with `noise` gets random rows at the embedding
 * matrix's current mean row norm in front, and no loss on them.
 */
export function lmLossFn(model: CausalLM): (batch: Batch) => tf.Scalar {
  return (batch) => {
    const ids = tf.tensor2d(batch.ids, undefined, 'int32');
    const emb = model.embed(ids);
    if (!batch.noise) return lmLoss(model.forward(emb).logits, batch);
    const [b, t] = ids.shape;
    const h = model.config.hiddenSize;
    const n = batch.noise.rows;
    // A constant (read back), so no gradient flows into the norm.
    const norm = model.embeddingMatrix().square().sum(1).sqrt().mean().dataSync()[0];
    const rows = tf.tensor3d(randomRows(n, h, norm, batch.noise.seed), [1, n, h]);
    const pre = tf.broadcastTo(rows, [b, n, h]);
    const { logits } = model.forward(tf.concat([pre, emb], 1) as tf.Tensor3D);
    const v = model.config.vocabSize;
    return lmLoss(tf.slice(logits, [0, n, 0], [b, t, v]) as tf.Tensor3D, batch);
  };
}

/**
 * Prefix (soft-prompt) training: `prefix` [n, hidden] is prepended to every
 * sequence; only its rows get gradients. Loss positions are shifted by n.
 */
export function prefixLossFn(model: CausalLM, prefix: tf.Variable): (batch: Batch) => tf.Scalar {
  return (batch) => {
    const ids = tf.tensor2d(batch.ids, undefined, 'int32');
    const emb = model.embed(ids);
    const [b, t] = ids.shape;
    const v = model.config.vocabSize;
    const n = prefix.shape[0];
    const pre = tf.broadcastTo(prefix.expandDims(0), [b, n, prefix.shape[1] as number]);
    const { logits } = model.forward(tf.concat([pre, emb], 1) as tf.Tensor3D);
    const answer = tf.slice(logits, [0, n, 0], [b, t, v]) as tf.Tensor3D;
    return lmLoss(answer, batch);
  };
}
