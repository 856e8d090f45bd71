// Why DPO makes the demo patch over-refuse: collects the demo's train pairs
// as the benchmark does (DEFAULT_COLLECT_SETTINGS, seed 1) and prints, per
// prompt-set kind, how many pairs the margin filter keeps at threshold 0 and
// the spread of M′'s per-token preference (pairMargin), beside how many
// chosen/rejected answers are refusals (the demo's detector).
//   npm run node -- scripts/measure-dpo-pairs.ts
import { resolve } from 'node:path';
import {
  DEMO_BIAS_TRAIN,
  DEMO_HARMFUL_TRAIN,
  DEMO_SAFE_TRAIN,
  DEMO_TOXICITY_TRAIN,
} from '../src/data/builtin';
import { useBackend } from '../src/engine/backends';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import { collectPairs } from '../src/train/collect';
import { DEFAULT_COLLECT_SETTINGS } from '../src/train/collected';
import { pairMargin } from '../src/train/losses';
import { DEFAULT_RECIPE } from '../src/train/recipe';
import { isRefusal } from './demo/detectors';

async function main() {
  const ok = await useBackend('wasm');
  if (!ok.ok) throw new Error(`backend wasm: ${ok.error}`);
  const load = (n: string) =>
    loadModel(new NodeDirectorySource(resolve('public/models', n), { modelId: `embedded:${n}` }));
  const base = await load('demo-base');
  const safe = await load('demo-safe');
  const data = await collectPairs({
    base: { model: base.model, id: 'embedded:demo-base' },
    reference: { model: safe.model, id: 'embedded:demo-safe' },
    tokenizer: base.tokenizer,
    promptSets: [DEMO_TOXICITY_TRAIN, DEMO_BIAS_TRAIN, DEMO_HARMFUL_TRAIN, DEMO_SAFE_TRAIN],
    settings: {
      ...DEFAULT_COLLECT_SETTINGS,
      maxAnswerTokens: DEFAULT_RECIPE.maxAnswerTokens,
      maxPromptTokens: DEFAULT_RECIPE.maxPromptTokens,
    },
  });
  console.log(
    '| kind | pairs | kept at margin 0 | M′ margin, nats/token: median [min, max] | identical answers | chosen refusals | rejected refusals |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const kind of ['toxicity', 'bias', 'harmful', 'safe']) {
    const items = data.items.filter((it) => it.domain === kind);
    const m = items
      .map((it) =>
        pairMargin({
          refChosen: it.refChosen,
          refRejected: it.refRejected,
          chosenTokens: it.chosenIds.length,
          rejectedTokens: it.rejectedIds.length,
        }),
      )
      .sort((a, b) => a - b);
    const same = items.filter((it) => it.chosenText === it.rejectedText).length;
    const count = (f: (t: string) => boolean, pick: 'chosenText' | 'rejectedText') =>
      items.filter((it) => f(it[pick])).length;
    console.log(
      `| ${kind} | ${items.length} | ${m.filter((x) => x >= 0).length} | ${m[m.length >> 1].toFixed(3)} [${m[0].toFixed(3)}, ${m[m.length - 1].toFixed(3)}] | ${same} | ${count(isRefusal, 'chosenText')} | ${count(isRefusal, 'rejectedText')} |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
