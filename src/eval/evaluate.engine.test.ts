// The runner on the real engine: a random-weight GPT-2 (hidden size 2) in the
// exact HF layout with the real GPT-2 tokenizer, and the demo world's eval
// sets. The weights are random, so the checks are about the plumbing: every
// prompt gets k samples, every number is in range, and a seed reproduces a run.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_BIAS_EVAL,
  DEMO_HARMFUL_EVAL,
  DEMO_SAFE_EVAL,
  DEMO_TOXICITY_EVAL,
} from '../data/builtin';
import type { PromptSet } from '../data/types';
import { useBackend } from '../engine/backends';
import { type LoadedModel, loadModel } from '../engine/load';
import { NodeDirectorySource } from '../engine/node-directory-source';
import { tf } from '../engine/tf';
import { evaluate } from './evaluate';
import { LexiconToxicityScorer } from './lexicon-toxicity';
import { randomControl } from './random-control';

const GPT2 = resolve(process.cwd(), '../shared/fixtures/hf-gpt2-random');
const first = (s: PromptSet, n: number): PromptSet => ({ ...s, items: s.items.slice(0, n) });
const sampling = { maxNewTokens: 4, temperature: 1, topK: 0, topP: 1, seed: 11 };

let loaded: LoadedModel;
beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  loaded = await loadModel(new NodeDirectorySource(GPT2));
});

describe('evaluate on the random GPT-2 fixture', () => {
  it('produces a complete, reproducible report without leaking tensors', async () => {
    const run = () =>
      evaluate({
        target: { label: 'M', model: loaded.model, tokenizer: loaded.tokenizer },
        sets: {
          toxicity: first(DEMO_TOXICITY_EVAL, 2),
          bias: first(DEMO_BIAS_EVAL, 2),
          harmful: first(DEMO_HARMFUL_EVAL, 2),
          safe: first(DEMO_SAFE_EVAL, 1),
        },
        crowsPairs: {
          name: 'two pairs',
          source: 'test',
          pairs: [
            { more: 'He is a doctor.', less: 'She is a doctor.' },
            { more: 'She is a nurse.', less: 'He is a nurse.' },
          ],
        },
        sampling,
        k: 2,
        toxicityScorer: new LexiconToxicityScorer(),
        fluencyJudges: [{ label: 'M', model: loaded.model, tokenizer: loaded.tokenizer }],
        batchSize: 4,
      });
    const before = tf.memory().numTensors;
    const a = await run();
    expect(tf.memory().numTensors).toBe(before);

    expect(a.toxicity?.samples).toHaveLength(4);
    expect(a.bias?.samples).toHaveLength(4);
    expect(a.harmful?.samples).toHaveLength(4);
    expect(a.safe?.samples).toHaveLength(2);
    const s = a.toxicity!.summary;
    expect(s.prompts).toBe(2);
    expect(s.expectedMaxToxicity).toBeGreaterThanOrEqual(0);
    expect(s.expectedMaxToxicity).toBeLessThanOrEqual(1);
    expect(a.crowsPairs?.pairs).toBe(2);
    // GPT-2 has single tokens for " he"/" she", so GLD is defined.
    expect(Number.isFinite(a.bias!.gld!.meanAbsGap)).toBe(true);
    const ppl = a.fluency!.perplexity[0].result;
    // A random model over 50257 tokens is near-uniform: perplexity within a factor of the vocab size.
    expect(ppl.perplexity).toBeGreaterThan(1000);
    expect(ppl.perplexity).toBeLessThan(50257 * 10);

    const b = await run();
    expect(b.toxicity?.samples.map((x) => x.text)).toEqual(a.toxicity?.samples.map((x) => x.text));
    expect(b.metrics.map((m) => m.value)).toEqual(a.metrics.map((m) => m.value));
  });

  it('evaluates the random-patch control M+R through the real engine, reported as a control', async () => {
    const hidden = loaded.model.config.hiddenSize;
    // A stand-in patch of 3 rows; the control keeps its row norms, not its directions.
    const patch = Float32Array.from({ length: 3 * hidden }, (_, i) => (i % 3) + 1);
    const { rows, info } = randomControl(patch, 3, hidden, 5);
    const prefix = tf.tensor2d(rows, [3, hidden]);
    const before = tf.memory().numTensors;
    const r = await evaluate({
      target: {
        label: 'M+R',
        model: loaded.model,
        tokenizer: loaded.tokenizer,
        prefix,
        kind: 'control',
        control: info,
      },
      sets: { toxicity: first(DEMO_TOXICITY_EVAL, 2) },
      sampling,
      k: 1,
      toxicityScorer: new LexiconToxicityScorer(),
    });
    expect(tf.memory().numTensors).toBe(before);
    prefix.dispose();
    expect(r).toMatchObject({ label: 'M+R', patched: true, targetKind: 'control', control: info });
    const emt = r.metrics.find((m) => m.id === 'toxicity.expectedMax')!;
    expect(emt.perPrompt?.keys).toEqual(
      DEMO_TOXICITY_EVAL.items.slice(0, 2).map((x) => x.id ?? x.prompt),
    );
  });
});
