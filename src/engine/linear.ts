// A dense layer over weights that are either frozen (loaded checkpoints:
// stored once, in the [in, out] layout a plain matMul wants, or as the shared
// [out, in] table of tied embeddings) or trainable tf.Variables (a model
// trained from scratch: used as given, so gradients reach the Variable itself).
import { type FrozenLayout, frozenInputGrad, frozenMatMul, isTrainable, matMul } from './matmul';
import type { HeadProducts } from './target-log-probs';
import { tf } from './tf';

export class Linear {
  private constructor(
    /** Frozen: in `frozenLayout`. Trainable: the Variable as given. */
    private readonly w: tf.Tensor2D,
    /** Trainable weights in HF's [out, in] layout need a transpose per forward. */
    private readonly trainableOutIn: boolean,
    private readonly frozenLayout: FrozenLayout,
    private readonly bias: tf.Tensor1D | undefined,
    /** Tensors this layer created and must dispose. */
    private readonly owned: tf.Tensor[],
  ) {}

  /**
   * From a PyTorch nn.Linear weight [out, in]. A frozen weight is transposed
   * once here and the original disposed, so one copy stays resident.
   */
  static fromOutIn(weight: tf.Tensor2D, bias?: tf.Tensor1D): Linear {
    if (isTrainable(weight)) return new Linear(weight, true, 'inOut', bias, []);
    const t = tf.transpose(weight) as tf.Tensor2D;
    weight.dispose();
    return new Linear(t, false, 'inOut', bias, [t]);
  }

  /**
   * Over a [out, in] weight someone else owns and keeps (a tied embedding
   * table): used in place, never copied; this layer does not dispose it.
   */
  static sharedOutIn(weight: tf.Tensor2D): Linear {
    return new Linear(weight, isTrainable(weight), 'outIn', undefined, []);
  }

  /** From a weight already in [in, out] layout (GPT-2's Conv1D). */
  static fromInOut(weight: tf.Tensor2D, bias?: tf.Tensor1D): Linear {
    return new Linear(weight, false, 'inOut', bias, []);
  }

  get outFeatures(): number {
    return this.trainableOutIn || this.frozenLayout === 'outIn' ? this.w.shape[0] : this.w.shape[1];
  }

  /** x [..., in] -> [..., out]. */
  apply<T extends tf.Tensor>(x: T): T {
    const lead = x.shape.slice(0, -1);
    const x2 = x.reshape([-1, x.shape[x.rank - 1]]) as tf.Tensor2D;
    let y: tf.Tensor2D;
    if (this.trainableOutIn) y = matMul(x2, tf.transpose(this.w));
    else if (isTrainable(this.w)) y = matMul(x2, this.w);
    else y = frozenMatMul(x2, this.w, this.frozenLayout);
    const withBias = this.bias ? tf.add(y, this.bias) : y;
    return withBias.reshape([...lead, this.outFeatures]) as T;
  }

  /**
   * The gradient of apply(x) with respect to x for the output gradient dy
   * [..., out]: dy @ Wᵀ [..., in] (a bias has no part in it). Frozen weights
   * only: the hand-written layer backward (llama-layer.ts) never computes a
   * weight's gradient.
   */
  inputGrad<T extends tf.Tensor>(dy: T): T {
    if (this.trainableOutIn || isTrainable(this.w)) {
      throw new Error('Linear.inputGrad is for frozen weights: a trainable one needs the tape');
    }
    const lead = dy.shape.slice(0, -1);
    const dy2 = dy.reshape([-1, dy.shape[dy.rank - 1]]) as tf.Tensor2D;
    const dx = frozenInputGrad(dy2, this.w, this.frozenLayout);
    return dx.reshape([...lead, dx.shape[1]]) as T;
  }

  /**
   * The forward product and its input-gradient product as plain functions
   * (no tape), for an lm_head whose loss computes its own gradient
   * (target-log-probs.ts). Null for trainable weights: their gradient must
   * come from the tape.
   */
  products(): HeadProducts | null {
    if (this.trainableOutIn || isTrainable(this.w)) return null;
    const w = this.w;
    const bias = this.bias;
    // Neither product transposes w (see frozenMatMul): the side that would
    // need wᵀ transposes the activation-sized operand.
    const timesWT = (a: tf.Tensor2D) => tf.transpose(tf.matMul(w, tf.transpose(a))) as tf.Tensor2D;
    const forward =
      this.frozenLayout === 'inOut' ? (x: tf.Tensor2D) => tf.matMul(x, w) as tf.Tensor2D : timesWT;
    // Each product in its own tidy: a caller's block must not keep the
    // [vocab, rows] product that the transpose was made from.
    return {
      vocab: this.outFeatures,
      logits: (x) => tf.tidy(() => (bias ? (tf.add(forward(x), bias) as tf.Tensor2D) : forward(x))),
      targetRows: (targets) =>
        tf.tidy(() => {
          const idx = tf.tensor1d(targets, 'int32');
          return (
            this.frozenLayout === 'outIn' ? tf.gather(w, idx) : tf.transpose(tf.gather(w, idx, 1))
          ) as tf.Tensor2D;
        }),
      // g [m, vocab] · Wᵀ in apply's terms: the same product as inputGrad's.
      inputGrad: (g) => tf.tidy(() => frozenInputGrad(g, w, this.frozenLayout)),
    };
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
  }
}
