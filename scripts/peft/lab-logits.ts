// The lab engine's logits of a (patched) model on fixed token ids, in the
// compact form the PyTorch round trip compares (scripts/device/peft-roundtrip.sh):
// per position, the logits at a fixed sample of vocabulary ids, the argmax and
// the log-sum-exp over the whole vocabulary (which every logit moves).
import { loadModel } from '../../src/engine/load';
import { NodeDirectorySource } from '../../src/engine/node-directory-source';
import { tf } from '../../src/engine/tf';

export interface LogitsProbe {
  ids: number[];
  /** [position][k]: logits at vocabIds[k]. */
  logits: number[][];
  logsumexp: number[];
  argmax: number[];
}

export interface LabLogits {
  model: string;
  nVirtual: number;
  vocabIds: number[];
  probes: LogitsProbe[];
}

/** 64 leading ids and 64 spread over the vocabulary. */
export function sampleVocab(vocab: number): number[] {
  const ids = new Set<number>();
  for (let i = 0; i < Math.min(64, vocab); i++) ids.add(i);
  for (let k = 0; k < 64; k++) ids.add(Math.floor((k * (vocab - 1)) / 63));
  return [...ids].sort((a, b) => a - b);
}

export async function labLogits(
  modelDir: string,
  patch: { rows: Float32Array; n: number } | null,
  prompts: number[][],
): Promise<LabLogits> {
  const { model, config } = await loadModel(new NodeDirectorySource(modelDir));
  const V = config.vocabSize;
  const vocabIds = sampleVocab(V);
  const probes: LogitsProbe[] = [];
  for (const ids of prompts) {
    const n = patch?.n ?? 0;
    const all = tf.tidy(() => {
      const tokens = model.embed(tf.tensor2d([ids], [1, ids.length], 'int32'));
      const embeds = patch
        ? tf.concat([tf.tensor3d(patch.rows, [1, n, config.hiddenSize]), tokens], 1)
        : tokens;
      // Only the token positions: PEFT's logits include the virtual tokens' too.
      return model
        .forward(embeds)
        .logits.slice([0, n, 0], [1, ids.length, V])
        .reshape([ids.length, V]);
    });
    const values = (await all.data()) as Float32Array;
    all.dispose();
    const probe: LogitsProbe = { ids, logits: [], logsumexp: [], argmax: [] };
    for (let t = 0; t < ids.length; t++) {
      const row = values.subarray(t * V, (t + 1) * V);
      let max = -Infinity;
      let arg = 0;
      for (let v = 0; v < V; v++) if (row[v] > max) [max, arg] = [row[v], v];
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(row[v] - max);
      probe.logits.push(vocabIds.map((v) => row[v]));
      probe.logsumexp.push(max + Math.log(sum));
      probe.argmax.push(arg);
    }
    probes.push(probe);
  }
  model.dispose();
  return { model: modelDir, nVirtual: patch?.n ?? 0, vocabIds, probes };
}
