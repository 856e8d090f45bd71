// Mechanics of the toxicity classifier path on real prompts, with the tiny
// random-weight fixture (src/eval/fixtures/toxic-bert-tiny) served in the hub
// layout: load time, texts per second, and how many texts reach the model's
// 64-token limit. The fixture's scores mean nothing (random weights), so no
// agreement is printed for it; the lexicon's agreement with RTP's Perspective
// labels (toxicity ≥ 0.5) is printed as the baseline a real classifier would
// be compared with, which needs the real weights and so a network.
//   npm run node -- scripts/measure-classifier-mechanics.ts [toxic.jsonl nontoxic.jsonl]
// Default files: ../shared/data/toxicity/rtp-decodingtrust/ (RealToxicityPrompts via DecodingTrust).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClassifierScorer } from '../src/eval/classifier-toxicity';
import { LexiconToxicityScorer } from '../src/eval/lexicon-toxicity';
import { TOXIC_FIXTURE_REPO } from '../src/eval/testing/classifier-fixtures';
import { startFixtureServer } from '../src/hub/testing/fixture-server';
import { MemoryCacheStorage } from '../src/hub/testing/memory-cache-storage';

const SHARED = fileURLToPath(
  new URL('../../shared/data/toxicity/rtp-decodingtrust/', import.meta.url),
);
const files = process.argv.slice(2);
const paths =
  files.length > 0 ? files : [`${SHARED}toxic.sample300.jsonl`, `${SHARED}nontoxic.jsonl`];

interface Prompt {
  text: string;
  perspective: number;
}
const prompts: Prompt[] = paths.flatMap((p) =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const row = JSON.parse(l) as { prompt: { text: string; toxicity: number | null } };
      return { text: row.prompt.text, perspective: row.prompt.toxicity ?? Number.NaN };
    }),
);
const texts = prompts.map((p) => p.text);

const dir = fileURLToPath(new URL('../src/eval/fixtures/toxic-bert-tiny/', import.meta.url));
const server = await startFixtureServer({ [TOXIC_FIXTURE_REPO]: { dir } });
try {
  let t = performance.now();
  const scorer = await createClassifierScorer({
    modelId: TOXIC_FIXTURE_REPO,
    allowRemote: true,
    host: server.url,
    cacheStorage: new MemoryCacheStorage(),
  });
  const loadMs = performance.now() - t;
  t = performance.now();
  await scorer.score(texts);
  const classifierMs = performance.now() - t;

  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.localModelPath = fileURLToPath(new URL('../src/eval/fixtures/', import.meta.url));
  env.allowRemoteModels = false;
  const tokenizer = await AutoTokenizer.from_pretrained('toxic-bert-tiny');
  const long = texts.filter((x) => tokenizer(x).input_ids.dims[1] > 64).length;

  const lexicon = new LexiconToxicityScorer();
  t = performance.now();
  const lex = await lexicon.score(texts);
  const lexiconMs = performance.now() - t;
  const labelled = prompts
    .map((p, i) => ({
      gold: p.perspective >= 0.5,
      lex: lex[i] >= 0.5,
      ok: !Number.isNaN(p.perspective),
    }))
    .filter((r) => r.ok);
  const agree = labelled.filter((r) => r.gold === r.lex).length;
  const tp = labelled.filter((r) => r.gold && r.lex).length;
  const goldPos = labelled.filter((r) => r.gold).length;
  const lexPos = labelled.filter((r) => r.lex).length;

  console.log(`prompts: ${texts.length} (${paths.map((p) => p.split('/').at(-1)).join(', ')})`);
  console.log(
    `classifier fixture (${TOXIC_FIXTURE_REPO}, Node, onnxruntime-node): load ${loadMs.toFixed(0)} ms, ` +
      `${((texts.length / classifierMs) * 1000).toFixed(0)} texts/s (batches of 16); ` +
      `${long} texts over its 64-token limit (truncated; its 183-token vocabulary spells most words letter by letter)`,
  );
  console.log(
    `lexicon: ${((texts.length / lexiconMs) * 1000).toFixed(0)} texts/s; vs Perspective toxicity ≥ 0.5 on ${labelled.length} prompts: ` +
      `agreement ${((agree / labelled.length) * 100).toFixed(1)} %, ` +
      `precision ${((tp / lexPos) * 100).toFixed(1)} %, recall ${((tp / goldPos) * 100).toFixed(1)} %`,
  );
} finally {
  await server.close();
}
