// A deliberately small causal LM built from plain tf ops, for the trainer's
// tests that must not depend on the engine's transformer: an embedding, a
// causal running mean (so earlier positions, and thus the patch, influence
// later ones), a tanh layer and an output projection. It implements only what
// training needs (no KV cache).
import { headInput } from '../../engine/forward-input';
import { Rng } from '../../engine/rng';
import { tf } from '../../engine/tf';
import type { CausalLM, ForwardOptions, ForwardResult, ModelConfig } from '../../engine/types';

export interface TinyLM extends CausalLM {
  /** When true, forward returns NaN logits (to provoke non-finite losses). */
  poison: boolean;
}

export function createTinyLM(vocab: number, hidden: number, seed: number): TinyLM {
  const rng = new Rng(seed);
  const randn = (shape: [number, number], scale: number) =>
    tf.tensor2d(
      Array.from({ length: shape[0] * shape[1] }, () => rng.normal() * scale),
      shape,
    );
  const E = randn([vocab, hidden], 1);
  const W1 = randn([hidden, hidden], 1 / Math.sqrt(hidden));
  const Wout = randn([hidden, vocab], 2 / Math.sqrt(hidden));
  const config: ModelConfig = {
    modelType: 'llama',
    vocabSize: vocab,
    hiddenSize: hidden,
    numLayers: 1,
    numHeads: 1,
    numKvHeads: 1,
    headDim: hidden,
    intermediateSize: hidden,
    maxPositions: 1024,
    normEps: 1e-5,
    tieWordEmbeddings: false,
    ropeTheta: 10000,
    ropeScaling: null,
    attentionBias: false,
    bosTokenId: null,
    eosTokenIds: [1],
    padTokenId: null,
  };
  const model: TinyLM = {
    config,
    poison: false,
    embed: (ids) => tf.tidy(() => tf.gather(E, ids) as unknown as tf.Tensor3D),
    forward(x: tf.Tensor3D, options: ForwardOptions = {}): ForwardResult {
      return tf.tidy(() => {
        const [B, T, H] = x.shape;
        const tri = tf.tensor2d(
          Array.from({ length: T * T }, (_, k) => {
            const i = Math.floor(k / T);
            return k % T <= i ? 1 / (i + 1) : 0;
          }),
          [T, T],
        );
        const xt = x.transpose([1, 0, 2]).reshape([T, B * H]);
        const mean = tri.matMul(xt).reshape([T, B, H]).transpose([1, 0, 2]);
        const h = x
          .add(mean)
          .reshape([B * T, H])
          .matMul(W1)
          .tanh();
        // The same output window as the engine's models (scoring asks for it).
        const out = headInput(h.reshape([B, T, H]), options);
        const rows = out.shape[1] as number;
        let logits = out
          .reshape([B * rows, H])
          .matMul(Wout)
          .reshape([B, rows, vocab]) as tf.Tensor3D;
        if (model.poison) logits = logits.mul(Number.NaN);
        return { logits };
      });
    },
    embeddingMatrix: () => E,
    dispose() {
      E.dispose();
      W1.dispose();
      Wout.dispose();
    },
  };
  return model;
}
