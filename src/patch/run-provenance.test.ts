import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { rawSafetensors } from './fixtures/make-patch';
import { planPatchImport } from './import-plan';
import { importPeftAdapter, type PeftFile } from './peft';
import { RUN_PROVENANCE_FILE } from './run-provenance';

// An adapter as train_patch.py leaves it: PEFT's two files (no Patch Lab
// manifest inside the weights, PEFT writes {"format": "pt"}) and the bundle's
// patch_lab.json, with the stages that ran and where.
const CONFIG = JSON.parse(
  readFileSync(new URL('./fixtures/peft-adapter/adapter_config.json', import.meta.url), 'utf8'),
);
const VALUES = Array.from({ length: 24 }, (_, i) => (i - 12) / 8);

function weights(): Uint8Array {
  const data = new Uint8Array(new Float32Array(VALUES).buffer);
  return rawSafetensors(
    {
      __metadata__: { format: 'pt' },
      prompt_embeddings: { dtype: 'F32', shape: [4, 6], data_offsets: [0, data.length] },
    },
    data,
  );
}

const RUN = {
  format: 'patch-lab-run',
  version: 1,
  name: 'kindness-7b',
  base: {
    id: 'HuggingFaceTB/SmolLM2-135M',
    revision: 'main',
    architecture: 'llama',
    hiddenSize: 6,
    fingerprint: null,
  },
  reference: { id: 'HuggingFaceTB/SmolLM2-135M-Instruct', revision: 'main' },
  domains: ['toxicity', 'harmful'],
  recipe: {
    init: { method: 'text', text: 'You are a kind and careful assistant.' },
    stages: [
      { kind: 'sft', steps: 3 },
      { kind: 'dpo', steps: 2 },
    ],
    beta: 0.1,
    learningRate: 0.002,
    datasets: [{ name: 'demo-toxicity-train', size: 40 }],
    seed: 1,
  },
  trainRecipe: { nVirtualTokens: 4, sftSteps: 3, dpoSteps: 2 },
  trainedWith: {
    tool: 'pytorch-peft',
    details: { torch: '2.6.0', peft: '0.15.2', processes: 2, sftStepsRun: 3, dpoStepsRun: 2 },
  },
};

function folder(run: unknown = RUN, dir = 'out/adapter'): PeftFile[] {
  return [
    { path: `${dir}/adapter_config.json`, bytes: strToU8(JSON.stringify(CONFIG)) },
    { path: `${dir}/adapter_model.safetensors`, bytes: weights() },
    { path: `${dir}/${RUN_PROVENANCE_FILE}`, bytes: strToU8(JSON.stringify(run)) },
  ];
}

describe('importing an adapter trained from a run bundle', () => {
  it('restores name, base, domains, recipe and where it was trained from patch_lab.json', async () => {
    const { patch, notes } = await importPeftAdapter(folder(), { sourceName: 'adapter' });
    expect(Array.from(patch.embeddings)).toEqual(VALUES);
    const m = patch.manifest;
    expect(m.name).toBe('kindness-7b');
    expect(m.base).toEqual(RUN.base);
    expect(m.domains).toEqual(['toxicity', 'harmful']);
    expect(m.recipe).toEqual(RUN.recipe);
    expect(m.trainedWith).toEqual(RUN.trainedWith);
    expect(m.metrics).toEqual({});
    expect(notes.join(' ')).toContain('trained with pytorch-peft');
  });

  it('reads patch_lab.json from a zip as well, and the folder planner keeps it with the adapter', async () => {
    const files = folder(RUN, 'adapter');
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.path, f.bytes])));
    const { patch } = await importPeftAdapter(zip, { sourceName: 'adapter.zip' });
    expect(patch.manifest.trainedWith?.tool).toBe('pytorch-peft');
    const plan = planPatchImport([
      ...files,
      { path: 'adapter/README.md', bytes: new Uint8Array() },
    ]);
    expect(plan.peftFolders.map((g) => g.files.length)).toEqual([3]);
    expect(plan.ignored.map((f) => f.path)).toEqual(['adapter/README.md']);
  });

  it('falls back to the bare adapter, saying why, when patch_lab.json does not fit it', async () => {
    const wrongWidth = { ...RUN, base: { ...RUN.base, hiddenSize: 8 } };
    const a = await importPeftAdapter(folder(wrongWidth), { sourceName: 'adapter' });
    expect(a.patch.manifest.recipe).toBeNull();
    expect(a.patch.manifest.trainedWith).toBeUndefined();
    expect(a.notes.join(' ')).toMatch(
      /patch_lab\.json was not used: .*hidden size 8.*token_dim is 6/,
    );

    const wrongLength = { ...RUN, trainRecipe: { nVirtualTokens: 50 } };
    const b = await importPeftAdapter(folder(wrongLength), { sourceName: 'adapter' });
    expect(b.patch.manifest.recipe).toBeNull();
    expect(b.notes.join(' ')).toMatch(/50-token patch but the adapter has 4/);

    const badTool = { ...RUN, trainedWith: { tool: '', details: {} } };
    const c = await importPeftAdapter(folder(badTool), { sourceName: 'adapter' });
    expect(c.patch.manifest.recipe).toBeNull();
    expect(c.notes.join(' ')).toMatch(/trainedWith\.tool must not be empty/);

    const notJson = folder();
    notJson[2] = { ...notJson[2], bytes: strToU8('{nope') };
    const d = await importPeftAdapter(notJson, { sourceName: 'adapter' });
    expect(d.notes.join(' ')).toMatch(/patch_lab\.json is not valid JSON/);
  });
});
