// A model whose greedy answer is a fixed token sequence, whatever the prompt:
// step k of a generation puts all its probability on script[k], then on EOS.
// (Scoring sees the same one-hot row at every position; only generation is scripted.)
// It lets a test make a model "really generate" a chosen answer (a chat
// marker mid-sentence, issue 14) through the real generate() loop, cache and
// stop tests included, without training a network to say it.
import { tf } from '../tf';
import type { CausalLM, KVCache } from '../types';

const HIDDEN = 4;

export function scriptedModel(script: number[], vocabSize: number, eosTokenId: number): CausalLM {
  const config = {
    modelType: 'llama' as const,
    vocabSize,
    hiddenSize: HIDDEN,
    numLayers: 0,
    numHeads: 1,
    numKvHeads: 1,
    headDim: HIDDEN,
    intermediateSize: HIDDEN,
    maxPositions: 4096,
    normEps: 1e-5,
    tieWordEmbeddings: true,
    ropeTheta: 10000,
    ropeScaling: null,
    attentionBias: false,
    bosTokenId: null,
    eosTokenIds: [eosTokenId],
    padTokenId: null,
  };
  const matrix = tf.keep(tf.zeros([vocabSize, HIDDEN]) as tf.Tensor2D);
  return {
    config,
    embed: (ids) => tf.zeros([ids.shape[0], ids.shape[1], HIDDEN]) as tf.Tensor3D,
    embeddingMatrix: () => matrix,
    forward: (x, o) => {
      // The step is carried in the cache's length: no cache = the prefill, step 0.
      const step = o?.cache ? o.cache.length : 0;
      const target = step < script.length ? script[step] : eosTokenId;
      const b = x.shape[0];
      const seq = o?.lastPositionOnly ? 1 : (o?.outputPositions?.length ?? x.shape[1]);
      const row = tf.oneHot([target], vocabSize).mul(1e4).reshape([1, 1, vocabSize]);
      const logits = tf.tile(row, [b, seq, 1]) as tf.Tensor3D;
      row.dispose();
      const cache: KVCache | undefined =
        o?.useCache || o?.cache ? { layers: [], length: step + 1 } : undefined;
      return { logits, cache };
    },
    dispose: () => matrix.dispose(),
  };
}
