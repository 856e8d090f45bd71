// Adam over plain Float32Arrays. A patch is small (n × hidden, e.g. 50 × 576
// floats), so the update costs nothing on the CPU, its state is three plain
// values a checkpoint can store and a worker can postMessage, and the result
// is identical on every tfjs backend: tfjs's own tf.train.adam keeps state in
// backend tensors and picks its epsilon from the backend (webgl on SwiftShader
// raises it to 1e-4, FIELD-NOTES), which would make runs backend-dependent.

export interface AdamHyper {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Kingma & Ba's defaults; epsilon always explicit, never the backend's. */
export const DEFAULT_ADAM: AdamHyper = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Everything Adam remembers; structured-clone and JSON friendly (via checkpoint.ts). */
export interface AdamState {
  /** First-moment estimate, one entry per parameter. */
  m: Float32Array;
  /** Second-moment estimate. */
  v: Float32Array;
  /** Number of updates applied so far (bias correction uses t after increment). */
  t: number;
}

export class Adam {
  private constructor(
    readonly hyper: AdamHyper,
    private state: AdamState,
  ) {}

  static create(size: number, hyper: AdamHyper = DEFAULT_ADAM): Adam {
    return new Adam({ ...hyper }, { m: new Float32Array(size), v: new Float32Array(size), t: 0 });
  }

  static fromState(state: AdamState, hyper: AdamHyper): Adam {
    if (state.m.length !== state.v.length) throw new Error('Adam state: m and v differ in length');
    return new Adam({ ...hyper }, { m: state.m.slice(), v: state.v.slice(), t: state.t });
  }

  get size(): number {
    return this.state.m.length;
  }

  get t(): number {
    return this.state.t;
  }

  /** A copy: the caller may keep or post it while training continues. */
  getState(): AdamState {
    return { m: this.state.m.slice(), v: this.state.v.slice(), t: this.state.t };
  }

  /**
   * One update of `params` in place with gradient `grad` and learning rate
   * `lr`:  m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;
   *        θ ← θ − lr · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε).
   * Arithmetic in float64, stored as float32.
   */
  step(params: Float32Array, grad: Float32Array, lr: number): void {
    const { m, v } = this.state;
    if (params.length !== m.length || grad.length !== m.length) {
      throw new Error(
        `Adam: expected ${m.length} parameters, got ${params.length} / ${grad.length} grads`,
      );
    }
    const { beta1, beta2, epsilon } = this.hyper;
    const t = this.state.t + 1;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = params[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
    }
    this.state.t = t;
  }
}
