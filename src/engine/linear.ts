// A dense layer over weights that are either frozen (loaded checkpoints:
// stored once, in the [in, out] layout a plain matMul wants, or as the shared
// [out, in] table of tied embeddings) or trainable tf.Variables (a model
// trained from scratch: used as given, so gradients reach the Variable itself).
import { type FrozenLayout, frozenInputGrad, frozenMatMul, isTrainable, matMul } from './matmul';
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

  dispose(): void {
    for (const t of this.owned) t.dispose();
  }
}
