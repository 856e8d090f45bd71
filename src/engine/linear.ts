// A dense layer over weights that are either frozen (loaded checkpoints:
// stored once in the [in, out] layout a plain matMul wants) or trainable
// tf.Variables (a model trained from scratch: used as given, so gradients
// reach the Variable itself).
import { frozenMatMul, isTrainable, matMul } from './matmul';
import { tf } from './tf';

export class Linear {
  private constructor(
    /** Frozen: [in, out]. Trainable: the Variable as given. */
    private readonly w: tf.Tensor2D,
    /** Trainable weights in HF's [out, in] layout need a transpose per forward. */
    private readonly trainableOutIn: boolean,
    /** For frozen weights: the [out, in] matrix when it is kept anyway (tied embeddings). */
    private readonly wOutIn: tf.Tensor2D | undefined,
    private readonly bias: tf.Tensor1D | undefined,
    /** Tensors this layer created and must dispose. */
    private readonly owned: tf.Tensor[],
  ) {}

  /**
   * From a PyTorch nn.Linear weight [out, in]. A frozen weight is transposed
   * once here and, unless `keepOriginal` (it is shared, e.g. a tied
   * embedding), the original is disposed so only one copy stays resident.
   */
  static fromOutIn(
    weight: tf.Tensor2D,
    bias?: tf.Tensor1D,
    opts: { keepOriginal?: boolean } = {},
  ): Linear {
    if (isTrainable(weight)) return new Linear(weight, true, undefined, bias, []);
    const t = tf.transpose(weight) as tf.Tensor2D;
    if (!opts.keepOriginal) weight.dispose();
    return new Linear(t, false, opts.keepOriginal ? weight : undefined, bias, [t]);
  }

  /** From a weight already in [in, out] layout (GPT-2's Conv1D). */
  static fromInOut(weight: tf.Tensor2D, bias?: tf.Tensor1D): Linear {
    return new Linear(weight, false, undefined, bias, []);
  }

  get outFeatures(): number {
    return this.trainableOutIn ? this.w.shape[0] : this.w.shape[1];
  }

  /** x [..., in] -> [..., out]. */
  apply<T extends tf.Tensor>(x: T): T {
    const lead = x.shape.slice(0, -1);
    const x2 = x.reshape([-1, x.shape[x.rank - 1]]) as tf.Tensor2D;
    let y: tf.Tensor2D;
    if (this.trainableOutIn) y = matMul(x2, tf.transpose(this.w));
    else if (isTrainable(this.w)) y = matMul(x2, this.w);
    else y = frozenMatMul(x2, this.w, this.wOutIn);
    const withBias = this.bias ? tf.add(y, this.bias) : y;
    return withBias.reshape([...lead, this.outFeatures]) as T;
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
  }
}
