// The steerability check: can a 50-vector soft prompt, trained with SFT on
// safe answers to the *train* prompts, flip demo-base on *held-out* prompts?
// That is the whole point of the demo pair, so it is measured here rather
// than hoped for.
//   npm run node -- scripts/demo/steer.ts [--steps 120] [--limit 20]
import {
  DEMO_BIAS_TRAIN,
  DEMO_HARMFUL_TRAIN,
  DEMO_SAFE_TRAIN,
  DEMO_TOXICITY_TRAIN,
} from '../../src/data/builtin';
import type { PromptItem } from '../../src/data/types';
import { useBackend } from '../../src/engine/backends';
import { Rng } from '../../src/engine/rng';
import { tf } from '../../src/engine/tf';
import { civilAnswer, fairAnswer, fairContinuation, helpfulAnswer, refuseAnswer } from './corpus';
import * as L from './lexicon';
import { type LoadedDemo, loadDemo } from './load-demo';
import { measureModel, promptText } from './measure';
import { bucketedBatches, prefixLossFn, trainLoop } from './train';

/** A safe (M′-style) answer for a train prompt, written by the corpus generator's own answer functions. */
function safeAnswer(rng: Rng, kind: 'toxicity' | 'bias' | 'harmful', item: PromptItem): string {
  if (kind === 'harmful') {
    const ask = String(item.meta?.topic ?? 'do that');
    return refuseAnswer(rng, { ask, ref: ask.replace(/\bmy\b/g, 'your') });
  }
  if (kind === 'toxicity') {
    const target = L.TARGETS_TRAIN.find((t) => t.ask === item.meta?.target) ?? null;
    return civilAnswer(rng, target);
  }
  const p = L.PROFESSIONS_TRAIN.find((x) => x.name === item.meta?.profession)!;
  return item.meta?.style === 'continuation' ? fairContinuation(rng) : fairAnswer(rng, p);
}

export function steerSequences(m: LoadedDemo, seed: number): { seqs: number[][]; from: number[] } {
  const rng = new Rng(seed);
  const seqs: number[][] = [];
  const from: number[] = [];
  const [imEnd, eot] = m.model.config.eosTokenIds;
  for (const [kind, set] of [
    ['toxicity', DEMO_TOXICITY_TRAIN],
    ['bias', DEMO_BIAS_TRAIN],
    ['harmful', DEMO_HARMFUL_TRAIN],
  ] as const) {
    for (const item of set.items) {
      const prompt = m.tokenizer.encode(promptText(m, item));
      const cont = item.meta?.style === 'continuation';
      const ans = m.tokenizer.encode(safeAnswer(rng, kind, item));
      seqs.push([...prompt, ...ans, cont ? eot : imEnd]);
      from.push(prompt.length);
    }
  }
  // Harmless look-alike requests with helpful answers, as the lab's safe
  // prompts would be: without them SFT teaches the prefix to refuse everything.
  for (const item of DEMO_SAFE_TRAIN.items) {
    const ask = String(item.meta?.topic);
    const prompt = m.tokenizer.encode(m.tokenizer.chatPrompt(item.prompt));
    const ans = m.tokenizer.encode(
      helpfulAnswer(rng, { ask, ref: ask.replace(/\bmy\b/g, 'your') }),
    );
    seqs.push([...prompt, ...ans, imEnd]);
    from.push(prompt.length);
  }
  return { seqs, from };
}

async function main() {
  const args = process.argv.slice(2);
  const arg = (n: string, d: number) => (args.includes(n) ? Number(args[args.indexOf(n) + 1]) : d);
  const steps = arg('--steps', 120);
  const limit = arg('--limit', 20);
  const nVirtual = arg('--n', 50);
  const ok = await useBackend('wasm');
  if (!ok.ok) throw new Error(ok.error);
  const m = await loadDemo('demo-base');
  const { seqs, from } = steerSequences(m, 7);
  // Random rows of the vocabulary as the start: on the embedding manifold, no task information.
  const rng = new Rng(11);
  const table = m.model.embeddingMatrix();
  const rows = Array.from({ length: nVirtual }, () => rng.int(table.shape[0]));
  const prefix = tf.variable(tf.gather(table, rows), true, 'prefix');
  const before = measureModel(m, { limit, prefix });
  console.log('before training, random-vocab prefix:', summary(before));
  trainLoop(
    [prefix],
    bucketedBatches(seqs, 16, m.model.config.padTokenId ?? 0, 3, from),
    prefixLossFn(m.model, prefix),
    {
      steps,
      schedule: { peak: 1e-2, warmupSteps: 10, totalSteps: steps, decay: 'cosine', minRatio: 0.1 },
      clipNorm: 1,
      progressEvery: 20,
      onProgress: (p) => console.log(`step ${p.step} loss ${p.loss.toFixed(3)}`),
    },
  );
  const after = measureModel(m, { limit, prefix });
  console.log('M without prefix:', summary(measureModel(m, { limit })));
  console.log(`M + ${nVirtual}-vector prefix after ${steps} SFT steps:`, summary(after));
  for (const d of ['toxicity', 'bias', 'harmful', 'safe'] as const) {
    for (const s of after[d].samples.slice(0, 2)) console.log(`  ${d}: ${s.prompt} -> ${s.answer}`);
  }
}

function summary(x: ReturnType<typeof measureModel>): string {
  const p = (r: number) => `${(100 * r).toFixed(0)}%`;
  return `insult ${p(x.toxicity.rate)}, stereotyped ${p(x.bias.rate)}, complies ${p(x.harmful.rate)}, answers safe ${p(x.safe.rate)}`;
}

if (process.argv[1]?.endsWith('steer.ts')) await main();
