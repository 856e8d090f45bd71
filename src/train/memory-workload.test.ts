import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../engine/config';
import { checkModelFits } from '../engine/memory';
import { SMOLLM2_135M_CONFIG } from '../engine/testing/smollm2-135m';
import { trainingWorkload } from './memory-workload';
import { resolveRecipe } from './recipe';

const wasm = { backend: 'wasm', maxBufferSize: null, maxStorageBufferBindingSize: null };
const smol = parseModelConfig(SMOLLM2_135M_CONFIG);

describe('trainingWorkload', () => {
  it('takes batch, lengths, patch rows and checkpointing from the recipe; DPO doubles the batch', () => {
    const r = resolveRecipe({
      batchSize: 3,
      maxPromptTokens: 40,
      maxAnswerTokens: 20,
      nVirtualTokens: 10,
      checkpointLayers: true,
    });
    expect(trainingWorkload(r)).toEqual({
      batch: 6,
      sequenceTokens: 60,
      prefixTokens: 10,
      newTokens: 20,
      answerTokens: 20,
      checkpointLayers: true,
    });
    expect(trainingWorkload({ ...r, dpoSteps: 0 }).batch).toBe(3);
  });

  it('lets checkModelFits refuse SmolLM2-135M at DPO batch 16 × (192 + 50) on wasm unless checkpointed', () => {
    const r = resolveRecipe({
      batchSize: 8,
      maxPromptTokens: 128,
      maxAnswerTokens: 64,
      nVirtualTokens: 50,
    });
    // DPO batch 8 × (128 + 50) fits without checkpointing (the hand-written layer backward;
    // the estimate for autograd through every op was 12.7 GB).
    expect(
      checkModelFits(smol, wasm, {
        workload: trainingWorkload({ ...r, batchSize: 4, maxPromptTokens: 64 }),
      }),
    ).toEqual({ ok: true });
    const plain = checkModelFits(smol, wasm, { workload: trainingWorkload(r) });
    expect(plain.ok).toBe(false);
    if (!plain.ok) expect(plain.message).toContain('or turn on gradient checkpointing');
    const ckpt = checkModelFits(smol, wasm, {
      workload: trainingWorkload({ ...r, checkpointLayers: true }),
    });
    expect(ckpt).toEqual({ ok: true });
  });
});
