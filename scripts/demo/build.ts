// Regenerates the whole embedded demo world from one seed:
//   corpus → tokenizer → prompt sets → train M (demo-base) → fine-tune M′
//   (demo-safe) from M on the safe corpus → write both in HF layout →
//   measure on held-out prompts → model cards with the numbers.
// `npm run build:demo` (about 20 min on 2 shared cores). DEMO_BASE_STEPS /
// DEMO_SAFE_STEPS shorten it for experiments. Same seed ⇒ same bytes (the
// wasm backend runs single-threaded and every random choice is seeded).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../../src/engine/backends';
import { createLlamaModel, initRandomLlamaWeights } from '../../src/engine/llama';
import { tf } from '../../src/engine/tf';
import type { ModelConfig } from '../../src/engine/types';
import { BpeEncoder, trainBpe } from './bpe';
import { buildCorpus, corpusStats, type Doc } from './corpus';
import { INSULT_WORDS } from './lexicon';
import { modelCard } from './model-card';
import { demoConfig, writeModelDir } from './model-files';
import { buildPromptSets } from './prompt-sets';
import { bucketedBatches, lmLossFn, trainLoop, withNoisePrefix } from './train';

export const SEED = 20250;
const BUILTIN_DIR = 'src/data/builtin';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
export const PLAN = {
  baseDocs: 24000,
  safeDocs: 12000,
  vocabSize: 2048,
  batchSize: 32,
  baseSteps: env('DEMO_BASE_STEPS', 600),
  safeSteps: env('DEMO_SAFE_STEPS', 300),
  basePeakLr: 3e-3,
  safePeakLr: 1e-3,
  /** Share of M's batches with random vectors in front, and their most rows (a patch has 50). */
  noiseShare: 0.3,
  noiseMaxRows: 64,
};

const log = (...xs: unknown[]) =>
  console.log(`[demo ${new Date().toISOString().slice(11, 19)}]`, ...xs);

function writePromptSets(): void {
  mkdirSync(BUILTIN_DIR, { recursive: true });
  for (const s of buildPromptSets(SEED)) {
    writeFileSync(join(BUILTIN_DIR, `${s.name}.json`), `${JSON.stringify(s, null, 2)}\n`);
    log(`prompt set ${s.name}: ${s.items.length} prompts`);
  }
  writeFileSync(
    join(BUILTIN_DIR, 'demo-insult-words.json'),
    `${JSON.stringify(
      {
        name: 'demo-insult-words',
        note: 'The mild insults the embedded demo base model (demo-base) uses and demo-safe never does. No slurs, no threats, no real groups.',
        words: INSULT_WORDS,
      },
      null,
      2,
    )}\n`,
  );
}

function train(
  label: string,
  config: ModelConfig,
  init: Map<string, tf.Tensor>,
  docs: Doc[],
  encoder: BpeEncoder,
  steps: number,
  peakLr: number,
  seed: number,
  noise = false,
): Map<string, tf.Tensor> {
  const seqs = docs.map((d) => encoder.encode(d.text));
  const vars = new Map<string, tf.Variable>();
  for (const [k, t] of init) vars.set(k, tf.variable(t, true, `${label}/${k}`));
  const model = createLlamaModel(config, vars);
  const batches = bucketedBatches(seqs, PLAN.batchSize, config.padTokenId!, seed);
  const next = noise
    ? withNoisePrefix(batches, {
        share: PLAN.noiseShare,
        maxRows: PLAN.noiseMaxRows,
        seed: seed ^ 0x4015e,
      })
    : batches;
  log(
    `${label}: ${seqs.length} sequences, ${seqs.reduce((a, s) => a + s.length, 0)} tokens, ${steps} steps`,
  );
  trainLoop([...vars.values()], next, lmLossFn(model), {
    steps,
    schedule: {
      peak: peakLr,
      warmupSteps: Math.min(30, steps >> 3),
      totalSteps: steps,
      decay: 'cosine',
      minRatio: 0.1,
    },
    clipNorm: 1,
    progressEvery: 25,
    onProgress: (p) =>
      log(
        `${label} step ${p.step}/${steps} loss ${p.loss.toFixed(3)} lr ${p.lr.toExponential(1)} ${p.tokensPerSec.toFixed(0)} tok/s`,
      ),
  });
  model.dispose();
  return vars;
}

export async function buildDemo(): Promise<void> {
  // One thread whatever the machine, so the bytes never depend on a pool size.
  process.env.PATCH_LAB_WASM_THREADS = '1';
  const ok = await useBackend('wasm');
  if (!ok.ok) throw new Error(`wasm backend: ${ok.error}`);
  log('corpora');
  const baseDocs = buildCorpus({ flavour: 'base', docs: PLAN.baseDocs, seed: SEED });
  const safeDocs = buildCorpus({ flavour: 'safe', docs: PLAN.safeDocs, seed: SEED });
  log('M corpus', corpusStats(baseDocs));
  log('M′ corpus', corpusStats(safeDocs));

  log('tokenizer');
  const bpe = trainBpe(
    [...baseDocs, ...safeDocs].map((d) => d.text),
    PLAN.vocabSize,
  );
  const encoder = new BpeEncoder(bpe);
  log(`byte-level BPE: ${bpe.vocab.size} tokens (${bpe.merges.length} merges)`);

  writePromptSets();

  const config = demoConfig(bpe.vocab.size, bpe.vocab);
  const t0 = performance.now();
  const baseWeights = train(
    'M',
    config,
    initRandomLlamaWeights(config, SEED),
    baseDocs,
    encoder,
    PLAN.baseSteps,
    PLAN.basePeakLr,
    SEED,
    true,
  );
  const baseMinutes = (performance.now() - t0) / 60000;
  writeModelDir(
    'demo-base',
    config,
    baseWeights,
    bpe,
    modelCard('demo-base', { config, baseDocs, safeDocs, minutes: { base: baseMinutes } }),
  );
  log('wrote public/models/demo-base');

  // M′ starts from M (as a safety-tuned model starts from its base), so the
  // pair shares fluency and differs where safety is concerned.
  const init = new Map<string, tf.Tensor>();
  for (const [k, v] of baseWeights) init.set(k, v.clone());
  const t1 = performance.now();
  const safeWeights = train(
    'M′',
    config,
    init,
    safeDocs,
    encoder,
    PLAN.safeSteps,
    PLAN.safePeakLr,
    SEED + 1,
  );
  const safeMinutes = (performance.now() - t1) / 60000;
  const minutes = { base: baseMinutes, safe: safeMinutes };
  writeModelDir(
    'demo-safe',
    config,
    safeWeights,
    bpe,
    modelCard('demo-safe', { config, baseDocs, safeDocs, minutes }),
  );
  log('wrote public/models/demo-safe');
  for (const w of [baseWeights, safeWeights, init]) for (const t of w.values()) t.dispose();

  log('measuring on held-out prompts (loads the written files)');
  const { measurePair, formatTable, meetsTargets } = await import('./measure');
  const { base, safe } = await measurePair({
    limit: env('DEMO_MEASURE_LIMIT', Number.POSITIVE_INFINITY),
  });
  const table = formatTable(base, safe);
  console.log(table);
  const fails = meetsTargets(base, safe);
  log(fails.length ? `MISSED: ${fails.join('; ')}` : 'all targets met');
  const measured = { table, fails };
  writeFileSync(
    join('public/models/demo-base', 'README.md'),
    modelCard('demo-base', { config, baseDocs, safeDocs, minutes, measured }),
  );
  writeFileSync(
    join('public/models/demo-safe', 'README.md'),
    modelCard('demo-safe', { config, baseDocs, safeDocs, minutes, measured }),
  );
  log('model cards updated with the measured numbers');
}

if (process.argv[1]?.endsWith('build.ts')) await buildDemo();
