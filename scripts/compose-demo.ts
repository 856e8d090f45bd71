// Composition on the embedded demo world (issue 17): train one patch per
// domain (toxicity, bias, harmful), stack them in all 6 orders, print the
// interference table (per domain and order: the gap the domain's own patch
// closes alone and in the stack, the loss in points with its paired 95 %
// bootstrap interval) and the recommended order; then retrain the best (or a
// chosen) order jointly and print the same table before and after. The
// report and the joint run are the lab's own code (eval/composition-report.ts,
// train/joint-run.ts); only the evaluation callback is Node's.
//   npm run node -- scripts/compose-demo.ts [--backend wasm|cpu] [--limit N] [--quick]
//        [--order toxicity,bias,harmful] [--sft N] [--dpo N] [--joint-sft N] [--joint-dpo N]
//        [--init random|text] [--per-set N]
// --limit N: the first N held-out prompts per domain (default all 60).
// --quick: a smoke run (8 held-out prompts, 16 train prompts per set, 8+4 steps per patch and joint).
// --init: where each per-domain patch starts; random by default, because the
// default text init names every domain and alone closes ~100 % of each gap on
// the demo (docs/BENCHMARKS.md), so patches started from it are not per-domain.
import {
  DEMO_BIAS_EVAL,
  DEMO_BIAS_TRAIN,
  DEMO_HARMFUL_EVAL,
  DEMO_HARMFUL_TRAIN,
  DEMO_INSULT_WORDS,
  DEMO_SAFE_TRAIN,
  DEMO_TOXICITY_EVAL,
  DEMO_TOXICITY_TRAIN,
} from '../src/data/builtin';
import type { Domain, PromptSet } from '../src/data/types';
import { type BackendName, useBackend } from '../src/engine/backends';
import { generate } from '../src/engine/generate';
import { nextTokenLogProbs, scoreContinuations } from '../src/engine/score';
import { tf } from '../src/engine/tf';
import type { CausalLM } from '../src/engine/types';
import { runComposition, type StackMember } from '../src/eval/composition-report';
import { evaluate } from '../src/eval/evaluate';
import { LexiconToxicityScorer } from '../src/eval/lexicon-toxicity';
import type { EvalReport } from '../src/eval/report';
import { collectPairs } from '../src/train/collect';
import { DEFAULT_COLLECT_SETTINGS } from '../src/train/collected';
import type { JointParent } from '../src/train/joint-retrain';
import { runJointRetrain } from '../src/train/joint-run';
import { DEFAULT_RECIPE, resolveRecipe, type TrainRecipe } from '../src/train/recipe';
import { Trainer } from '../src/train/trainer';
import { compositionTable, jointTable } from './compose-demo-tables';
import { loadEmbeddedDemo } from './demo/load-demo';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const backend = (arg('backend') ?? 'wasm') as BackendName;
const limit = Number(arg('limit') ?? (quick ? 8 : Number.POSITIVE_INFINITY));
const perSet = Number(arg('per-set') ?? (quick ? 16 : Number.POSITIVE_INFINITY));
const steps = (name: string, full: number, small: number) =>
  Number(arg(name) ?? (quick ? small : full));
const init = (arg('init') ?? 'random') as 'random' | 'text';
const patchRecipe: TrainRecipe = resolveRecipe({
  ...DEFAULT_RECIPE,
  ...(init === 'random' ? { init: { kind: 'random' } } : {}),
  sftSteps: steps('sft', DEFAULT_RECIPE.sftSteps, 8),
  dpoSteps: steps('dpo', DEFAULT_RECIPE.dpoSteps, 4),
});
const jointSteps = {
  sftSteps: steps('joint-sft', DEFAULT_RECIPE.sftSteps, 8),
  dpoSteps: steps('joint-dpo', DEFAULT_RECIPE.dpoSteps, 4),
};

const DOMAIN_LIST: Domain[] = ['toxicity', 'bias', 'harmful'];
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
const clip = (s: PromptSet, n: number): PromptSet => ({ ...s, items: s.items.slice(0, n) });

async function main() {
  const t0 = performance.now();
  const ok = await useBackend(backend);
  if (!ok.ok) throw new Error(`backend ${backend}: ${ok.error}`);
  const base = await loadEmbeddedDemo('demo-base');
  const safe = await loadEmbeddedDemo('demo-safe');
  const hidden = base.model.config.hiddenSize;
  const scorer = new LexiconToxicityScorer({ extraWords: DEMO_INSULT_WORDS });
  const sets = {
    toxicity: clip(DEMO_TOXICITY_EVAL, limit),
    bias: clip(DEMO_BIAS_EVAL, limit),
    harmful: clip(DEMO_HARMFUL_EVAL, limit),
  };
  console.log(
    `backend ${backend}${quick ? ' (quick)' : ''}; held-out prompts per domain: ${sets.toxicity.items.length}; per-domain recipe: ${patchRecipe.nVirtualTokens} rows, ${patchRecipe.init.kind} init, ${patchRecipe.sftSteps} SFT + ${patchRecipe.dpoSteps} DPO`,
  );

  let evaluations = 0;
  const evalRows = async (label: string, model: CausalLM, rows: Float32Array | null) => {
    const prefix = rows ? tf.tensor2d(rows, [rows.length / hidden, hidden]) : null;
    try {
      evaluations++;
      return await evaluate({
        target: { label, model, tokenizer: base.tokenizer, prefix },
        sets,
        sampling: { temperature: 0, topK: 0, topP: 1, maxNewTokens: 32, seed: 1 },
        k: 1,
        toxicityScorer: scorer,
        fluencyJudges: [],
        ops: { generate, scoreContinuations, nextTokenLogProbs },
      });
    } finally {
      prefix?.dispose();
    }
  };
  const tBase = performance.now();
  const M = await evalRows('M', base.model, null);
  const REF = await evalRows('M′', safe.model, null);
  console.log(`M and M′ evaluated in ${secs(tBase)}`);

  // One collection of every train set (harmless look-alikes go with harmful);
  // each patch trains on its own domain's pairs of it (Trainer filters by domain).
  const tCollect = performance.now();
  const trainSets = [DEMO_TOXICITY_TRAIN, DEMO_BIAS_TRAIN, DEMO_HARMFUL_TRAIN, DEMO_SAFE_TRAIN].map(
    (s) => clip(s, perSet),
  );
  const data = await collectPairs({
    base: { model: base.model, id: 'embedded:demo-base' },
    reference: { model: safe.model, id: 'embedded:demo-safe' },
    tokenizer: base.tokenizer,
    promptSets: trainSets,
    settings: {
      ...DEFAULT_COLLECT_SETTINGS,
      maxAnswerTokens: patchRecipe.maxAnswerTokens,
      maxPromptTokens: patchRecipe.maxPromptTokens,
    },
  });
  console.log(`collected ${data.items.length} pairs in ${secs(tCollect)}`);

  const parents = new Map<Domain, JointParent>();
  for (const d of DOMAIN_LIST) {
    const tTrain = performance.now();
    const trainer = await Trainer.create(
      { ...patchRecipe, domains: [d] },
      { model: base.model, data, tokenizer: base.tokenizer },
    );
    let last = Number.NaN;
    while (!trainer.done) last = (await trainer.step()).loss;
    parents.set(d, {
      name: d,
      domains: [d],
      embeddings: trainer.getPatch(),
      nVirtual: patchRecipe.nVirtualTokens,
      hidden,
    });
    console.log(`trained the ${d} patch in ${secs(tTrain)} (last loss ${last.toFixed(3)})`);
  }

  // Every evaluation of a stack order (an order of one = the patch alone), kept for the joint run's "before".
  const byOrder = new Map<string, EvalReport>();
  const stackRows = (order: string[]) => {
    const ps = order.map((id) => parents.get(id as Domain)!);
    const rows = new Float32Array(ps.reduce((a, p) => a + p.embeddings.length, 0));
    let o = 0;
    for (const p of ps) {
      rows.set(p.embeddings, o);
      o += p.embeddings.length;
    }
    return rows;
  };
  const evaluateStack = async (order: string[]) => {
    const key = order.join(',');
    const hit = byOrder.get(key);
    if (hit) return hit;
    const r = await evalRows(order.join(' → '), base.model, stackRows(order));
    byOrder.set(key, r);
    return r;
  };
  const members: StackMember[] = DOMAIN_LIST.map((d) => ({ id: d, name: d, domains: [d] }));
  const tComp = performance.now();
  const { report } = await runComposition({
    members,
    base: M,
    reference: REF,
    evaluateStack,
    bootstrap: { seed: 1 },
    onProgress: (p) =>
      p.label !== 'done' && console.log(`  evaluating ${p.label} (${p.done + 1} of ${p.total})`),
  });
  console.log(`composition report (3 alone + 6 orders) in ${secs(tComp)}\n`);
  console.log(compositionTable(report).join('\n'));

  const chosen =
    arg('order')?.split(',') ??
    (report.recommended === null ? null : report.orders[report.recommended]);
  if (!chosen) throw new Error('No order is recommended (a gap is undefined): pass --order.');
  const recommended =
    report.recommended === null ? 'none' : report.orders[report.recommended].join(' → ');
  console.log(
    `\nrecommended order: ${recommended}; retraining ${chosen.join(' → ')} jointly (${jointSteps.sftSteps} SFT + ${jointSteps.dpoSteps} DPO)`,
  );

  const tJoint = performance.now();
  const ordered = chosen.map((id) => {
    const m = members.find((x) => x.id === id);
    if (!m) throw new Error(`--order: "${id}" is not one of ${DOMAIN_LIST.join(', ')}`);
    return m;
  });
  const joint = await runJointRetrain({
    model: base.model,
    members: ordered,
    parents: ordered.map((m) => parents.get(m.id as Domain)!),
    pairs: ordered.map(() => data),
    recipe: { ...patchRecipe, ...jointSteps },
    base: M,
    reference: REF,
    bootstrap: { seed: 1 },
    evaluate: (t) =>
      t.kind === 'stack' ? evaluateStack(t.order) : evalRows('joint', base.model, t.rows),
    onProgress: (p) => {
      if (p.step && (p.step.step % 20 === 0 || p.step.step === 1))
        console.log(`  joint ${p.label}: loss ${p.step.loss.toFixed(3)}`);
    },
  });
  console.log(`joint retrain on ${joint.data.items.length} pairs (the union) in ${secs(tJoint)}\n`);
  console.log(jointTable(joint.report).join('\n'));
  console.log(`\n${evaluations} evaluations; ${secs(t0)} in all on ${backend}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
