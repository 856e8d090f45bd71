import { describe, expect, it } from 'vitest';
import { decodePatchFile, encodePatchFile } from '../patch/file';
import type { ModelSummary } from '../protocol/messages';
import { CHECKPOINT_VERSION, type TrainerCheckpoint } from '../train/checkpoint';
import { DEFAULT_RECIPE } from '../train/recipe';
import { buildTrainedPatch } from './train-patch';

const base: ModelSummary = {
  role: 'base',
  sourceId: 'embedded:demo-base',
  sourceKind: 'embedded',
  backend: 'cpu',
  loadMs: 1,
  label: 'Demo base',
  modelId: 'patch-lab/demo-base',
  revision: 'v1',
  modelType: 'llama',
  params: 1000,
  hiddenSize: 2,
  numLayers: 1,
  vocabSize: 10,
  embeddingFingerprint: 'fp-123',
};

function state(step: number): TrainerCheckpoint {
  return {
    version: CHECKPOINT_VERSION,
    recipe: {
      ...DEFAULT_RECIPE,
      nVirtualTokens: 3,
      sftSteps: 4,
      dpoSteps: 5,
      domains: ['toxicity'],
    },
    dataId: 'collected-1',
    baseModelId: 'patch-lab/demo-base',
    patch: Float32Array.from([0.5, -1, 2, 0.25, 3, -4]),
    hidden: 2,
    optimizer: { m: new Float32Array(6), v: new Float32Array(6), t: 0 },
    step,
    rngState: 1,
    cursors: { sft: null, dpo: null },
    dpo: null,
    lossHistory: [],
    metricHistory: [],
    savedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('buildTrainedPatch', () => {
  it('binds the vectors to the base model and records the recipe as far as it ran', async () => {
    const patch = await buildTrainedPatch({
      state: state(6),
      base,
      data: {
        promptSets: [
          { name: 'Demo toxicity (train)', kind: 'toxicity', source: 'demo', count: 40 },
        ],
      },
      name: 'my patch',
      now: new Date('2025-02-03T04:05:06.000Z'),
    });
    expect([patch.nVirtual, patch.hidden]).toEqual([3, 2]);
    expect(Array.from(patch.embeddings)).toEqual([0.5, -1, 2, 0.25, 3, -4]);
    const m = patch.manifest;
    expect(m.base).toEqual({
      id: 'patch-lab/demo-base',
      revision: 'v1',
      architecture: 'llama',
      hiddenSize: 2,
      fingerprint: 'fp-123',
    });
    expect(m.domains).toEqual(['toxicity']);
    expect(m.recipe?.stages).toEqual([
      { kind: 'sft', steps: 4 },
      { kind: 'dpo', steps: 2 },
    ]);
    expect(m.recipe?.beta).toBe(DEFAULT_RECIPE.beta);
    expect(m.recipe?.init).toEqual({
      method: 'text',
      text: DEFAULT_RECIPE.init.kind === 'text' ? DEFAULT_RECIPE.init.text : '',
    });
    expect(m.recipe?.datasets).toEqual([{ name: 'Demo toxicity (train)', size: 40 }]);
    expect(m.createdAt).toBe('2025-02-03T04:05:06.000Z');

    // The patch file layer accepts it as it is: hash, manifest and base all check out.
    const bytes = await encodePatchFile(patch);
    const decoded = await decodePatchFile(bytes, {
      fileName: 'my.patch.safetensors',
      expectedBase: { id: base.modelId, revision: 'v1', hiddenSize: 2, fingerprint: 'fp-123' },
    });
    expect(Array.from(decoded.patch.embeddings)).toEqual(Array.from(patch.embeddings));
    expect(decoded.patch.manifest.tensorSha256).toBe(m.tensorSha256);
  });

  it('a run stopped during SFT has no DPO stage and no β', async () => {
    const patch = await buildTrainedPatch({
      state: state(2),
      base,
      data: { promptSets: [] },
      name: 'p',
    });
    expect(patch.manifest.recipe?.stages).toEqual([{ kind: 'sft', steps: 2 }]);
    expect(patch.manifest.recipe?.beta).toBeNull();
  });

  it('refuses a base model of another hidden size', async () => {
    await expect(
      buildTrainedPatch({
        state: state(2),
        base: { ...base, hiddenSize: 8 },
        data: { promptSets: [] },
        name: 'p',
      }),
    ).rejects.toThrow(/hidden size 2 .* has 8/);
  });
});
