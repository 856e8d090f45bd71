import { strToU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportRunFromFolders, readPythonSources } from '../../scripts/peft/export-run';
import { BUILTIN_PROMPT_SETS } from '../data/builtin/index';
import type { PromptSet } from '../data/types';
import { useBackend } from '../engine/backends';
import { loadModel } from '../engine/load';
import { NodeDirectorySource } from '../engine/node-directory-source';
import type { TextTokenizer } from '../engine/types';
import { rawSafetensors } from '../patch/fixtures/make-patch';
import { importPeftAdapter } from '../patch/peft';
import { DEFAULT_RECIPE, type TrainRecipe } from './recipe';
import { buildRunBundle, type RunBundle, RunBundleError } from './run-bundle';
import { fakeCollectedSet } from './testing/fake-collected';

// A bundle exported from the demo run: demo-base (M) and demo-safe (M′)
// collect pairs on a few prompts of each training set, chat prompts and the
// bias set's sentence starts (continuations) both, as the Train panel does.
const MODELS = new URL('../../public/models/', import.meta.url).pathname;
const train = (kind: string) =>
  BUILTIN_PROMPT_SETS.find((s) => s.split === 'train' && s.kind === kind)!;
const bias = train('bias');
const TRAIN_SETS: PromptSet[] = [
  { ...train('toxicity'), items: train('toxicity').items.slice(0, 3) },
  { ...bias, items: [...bias.items.slice(0, 2), ...bias.items.slice(96, 98)] },
  { ...train('harmful'), items: train('harmful').items.slice(0, 2) },
  { ...train('safe'), items: train('safe').items.slice(0, 2) },
];
const RECIPE: TrainRecipe = { ...DEFAULT_RECIPE, maxAnswerTokens: 8 };
const EVAL_SETS = BUILTIN_PROMPT_SETS.filter((s) => s.split === 'eval');

type Row = Record<string, unknown>;
const rows = (text: string | undefined): Row[] => {
  expect(text).toBeDefined();
  const lines = (text as string).split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((l) => JSON.parse(l) as Row);
};

describe('run bundle from the demo run', () => {
  let bundle: RunBundle;
  let tokenizer: TextTokenizer;
  beforeAll(async () => {
    await useBackend('cpu');
    bundle = await exportRunFromFolders({
      baseDir: `${MODELS}demo-base`,
      referenceDir: `${MODELS}demo-safe`,
      recipe: RECIPE,
      name: 'demo patch',
      trainSets: TRAIN_SETS,
      collect: { maxAnswerTokens: 8, batchSize: 13 },
    });
    tokenizer = (await loadModel(new NodeDirectorySource(`${MODELS}demo-base`))).tokenizer;
  });

  it('writes conversational SFT rows whose prompt, through the chat template, is what the lab trained on', () => {
    const sft = rows(bundle.files['sft.jsonl']);
    // 3 toxicity + 2 chat bias + 2 harmful + 2 safe prompts, all in the default domains.
    expect(sft).toHaveLength(9);
    for (const r of sft) {
      const prompt = r.prompt as { role: string; content: string }[];
      const completion = r.completion as { role: string; content: string }[];
      expect(prompt).toHaveLength(1);
      expect(prompt[0].role).toBe('user');
      expect(completion).toEqual([{ role: 'assistant', content: expect.any(String) }]);
      const ids = r.lab_token_ids as { prompt: number[]; completion: number[] };
      // The demo's template, written out by hand: the lab encodes exactly this text.
      const templated = `<|im_start|>user\n${prompt[0].content}<|im_end|>\n<|im_start|>assistant\n`;
      expect(tokenizer.formatUserPrompt(prompt[0].content)).toBe(templated);
      const encoded = tokenizer.encode(templated, { addSpecialTokens: false });
      expect(ids.prompt).toEqual(
        encoded.slice(Math.max(0, encoded.length - RECIPE.maxPromptTokens)),
      );
      expect(tokenizer.decode(ids.completion, { skipSpecialTokens: true })).toBe(
        completion[0].content,
      );
      // <|im_end|> (2) and <|endoftext|> (0) stop the demo models.
      expect(r.completion_stopped).toBe([0, 2].includes(ids.completion.at(-1) as number));
      expect(typeof r.domain).toBe('string');
    }
    expect(new Set(sft.map((r) => r.domain))).toEqual(
      new Set(['toxicity', 'bias', 'harmful', 'safe']),
    );
  });

  it('writes DPO rows with M′’s log-probs, and the sentence starts in plain-text files', () => {
    const dpo = rows(bundle.files['dpo.jsonl']);
    const cont = rows(bundle.files['dpo_continuation.jsonl']);
    expect(dpo).toHaveLength(9);
    expect(cont).toHaveLength(2);
    for (const r of [...dpo, ...cont]) {
      for (const k of ['ref_model_chosen_logp', 'ref_model_rejected_logp']) {
        expect(Number.isFinite(r[k])).toBe(true);
        expect(r[k] as number).toBeLessThanOrEqual(0);
      }
      expect(typeof r.chosen_stopped).toBe('boolean');
      expect(typeof r.rejected_stopped).toBe('boolean');
    }
    for (const r of dpo) {
      expect(Array.isArray(r.prompt) && Array.isArray(r.chosen) && Array.isArray(r.rejected)).toBe(
        true,
      );
    }
    for (const r of cont) {
      expect(typeof r.prompt).toBe('string');
      expect(typeof r.chosen).toBe('string');
      expect(typeof r.rejected).toBe('string');
      expect(r.domain).toBe('bias');
      // A sentence start is encoded as text, with the tokenizer's own special tokens.
      const ids = r.lab_token_ids as { prompt: number[] };
      expect(ids.prompt).toEqual(
        tokenizer.encode(r.prompt as string).slice(-RECIPE.maxPromptTokens),
      );
    }
    expect(rows(bundle.files['sft_continuation.jsonl'])).toHaveLength(2);
    expect(bundle.counts).toEqual({
      sft: 11,
      dpo: 11,
      continuation: 2,
      evalSets: EVAL_SETS.length,
    });
  });

  it('records every recipe field, the models and the collection in recipe.json', () => {
    const spec = JSON.parse(bundle.files['recipe.json']);
    expect(spec.recipe).toEqual(RECIPE);
    expect(Object.keys(spec.recipe).sort()).toEqual(Object.keys(DEFAULT_RECIPE).sort());
    expect(spec.base).toMatchObject({
      id: 'demo-base',
      revision: 'local',
      architecture: 'llama',
      hiddenSize: 128,
      numLayers: 4,
      numHeads: 4,
    });
    expect(spec.reference).toEqual({ id: 'demo-safe', revision: 'local' });
    expect(spec.collected.chatTemplate).toBe(true);
    expect(spec.collected.eosTokenIds).toEqual([2, 0]);
    expect(spec.requirements).toEqual(expect.arrayContaining([expect.stringMatching(/^peft==\d/)]));
    // The recipe's on-policy negatives (DEFAULT_RECIPE has them) are said not to be exported.
    expect(RECIPE.dpoPolicyNegatives).toBe('look-alikes');
    expect(spec.notExported).toEqual([
      expect.stringMatching(/^dpoPolicyNegatives: .*not exported/),
    ]);
    expect(bundle.files['README.md']).toMatch(
      /not exported: the recipe's on-policy negatives \(`dpoPolicyNegatives` "look-alikes", 0.5 of the DPO pool\)/,
    );
  });

  it('ships the held-out sets as the lab’s prompt-set JSON, item for item', () => {
    for (const set of EVAL_SETS) {
      const file = JSON.parse(bundle.files[`eval/${set.name}.json`]);
      expect(file).toEqual({
        name: set.name,
        kind: set.kind,
        source: set.source,
        split: 'eval',
        items: set.items,
      });
    }
  });

  it('ships the Python sources unchanged and a README with the commands and estimates', () => {
    const py = readPythonSources();
    expect(bundle.files['train_patch.py']).toBe(py.trainPatch);
    expect(bundle.files['patch_helpers.py']).toBe(py.helpers);
    const readme = bundle.files['README.md'];
    expect(readme).toContain(
      'pip install torch==2.6.0 transformers==4.51.3 peft==0.15.2 accelerate==1.6.0',
    );
    expect(readme).toContain('accelerate launch --num_processes N train_patch.py');
    expect(readme).toMatch(/\| 7B \(Llama-2-7B shape\) \| [\d.]+ GiB \|/);
    expect(readme).toContain('estimates from formulas, not measurements');
  });

  it('brings the adapter back: the bundle’s patch_lab.json, as train_patch.py leaves it, restores the manifest', async () => {
    const run = JSON.parse(bundle.files['patch_lab.json']);
    run.trainedWith = { tool: 'pytorch-peft', details: { processes: 1, sftSteps: 60 } };
    const data = new Uint8Array(new Float32Array(50 * 128).fill(0.01).buffer);
    const weights = rawSafetensors(
      {
        __metadata__: { format: 'pt' },
        prompt_embeddings: { dtype: 'F32', shape: [50, 128], data_offsets: [0, data.length] },
      },
      data,
    );
    const config = {
      peft_type: 'PROMPT_TUNING',
      task_type: 'CAUSAL_LM',
      num_virtual_tokens: 50,
      token_dim: 128,
      base_model_name_or_path: 'demo-base',
    };
    const { patch } = await importPeftAdapter(
      [
        { path: 'adapter/adapter_config.json', bytes: strToU8(JSON.stringify(config)) },
        { path: 'adapter/adapter_model.safetensors', bytes: weights },
        { path: 'adapter/patch_lab.json', bytes: strToU8(JSON.stringify(run)) },
      ],
      { sourceName: 'adapter' },
    );
    expect(patch.manifest.name).toBe('demo patch');
    expect(patch.manifest.base.fingerprint).toMatch(/^emb1:2048x128:/);
    expect(patch.manifest.domains).toEqual(RECIPE.domains);
    expect(patch.manifest.recipe?.stages).toEqual([
      { kind: 'sft', steps: RECIPE.sftSteps },
      { kind: 'dpo', steps: 40 },
    ]);
    expect(patch.manifest.recipe?.init).toEqual({
      method: 'text',
      text: RECIPE.init.kind === 'text' ? RECIPE.init.text : '',
    });
    expect(patch.manifest.trainedWith?.tool).toBe('pytorch-peft');
  });
});

describe('buildRunBundle refuses input no run can use', () => {
  const charTok = {
    encode: (t: string) => Array.from(t, (c) => 2 + (c.charCodeAt(0) % 30)),
    formatUserPrompt: (t: string) => t,
  };
  const input = (over: Partial<Parameters<typeof buildRunBundle>[0]> = {}) => ({
    name: 'p',
    recipe: DEFAULT_RECIPE,
    data: fakeCollectedSet({ count: 4, vocab: 32, seed: 1 }),
    base: {
      id: 'b',
      revision: 'r',
      architecture: 'llama',
      hiddenSize: 8,
      numLayers: 1,
      numHeads: 1,
      fingerprint: null,
    },
    reference: { id: 'm', revision: 'r' },
    tokenizer: charTok,
    eosTokenIds: [1],
    evalSets: [],
    scripts: { trainPatch: '', helpers: '' },
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });

  it('names a prompt whose ids the tokenizer does not reproduce (pairs collected with another tokenizer)', () => {
    expect(() => buildRunBundle(input())).toThrow(RunBundleError);
    expect(() => buildRunBundle(input())).toThrow(
      /"prompt 0" does not encode to the collected token ids/,
    );
  });

  it('refuses pairs with none in the recipe’s domains', () => {
    expect(() =>
      buildRunBundle(
        input({
          recipe: { ...DEFAULT_RECIPE, domains: ['bias'] },
          data: fakeCollectedSet({ count: 2, vocab: 32, seed: 1, domains: ['toxicity'] }),
        }),
      ),
    ).toThrow(/none in the recipe's domains \(bias\)/);
  });
});
