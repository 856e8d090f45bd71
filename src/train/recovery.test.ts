import { describe, expect, it } from 'vitest';
import { DEFAULT_RECIPE, type TrainRecipe } from './recipe';
import { recoveryOffers } from './recovery';

const recipe: TrainRecipe = { ...DEFAULT_RECIPE, sftLr: 0.02, dpoLr: 0.004, batchSize: 8 };

describe('recoveryOffers', () => {
  it('offers half the learning rates after a non-finite loss', () => {
    const offers = recoveryOffers(
      { kind: 'non-finite' },
      { recipe, hasCheckpoint: true, activeBackend: 'webgpu' },
    );
    expect(offers).toEqual([
      {
        kind: 'halve-lr',
        label: 'Halve the learning rates and resume',
        override: { sftLr: 0.01, dpoLr: 0.002 },
        enabled: true,
      },
    ]);
  });

  it('cannot halve rates it does not know, nor resume without a checkpoint', () => {
    const [noRecipe] = recoveryOffers(
      { kind: 'non-finite' },
      { recipe: null, hasCheckpoint: true, activeBackend: null },
    );
    expect(noRecipe.enabled).toBe(false);
    const [noCkpt] = recoveryOffers(
      { kind: 'non-finite' },
      { recipe, hasCheckpoint: false, activeBackend: null },
    );
    expect(noCkpt.enabled).toBe(false);
  });

  it('after running out of memory: half the batch (rounded down), or another backend', () => {
    const offers = recoveryOffers(
      { kind: 'out-of-memory', batchSize: 5 },
      { recipe, hasCheckpoint: true, activeBackend: 'webgpu' },
    );
    expect(offers).toEqual([
      {
        kind: 'halve-batch',
        label: 'Resume with batch size 2',
        override: { batchSize: 2 },
        enabled: true,
      },
      {
        kind: 'switch-backend',
        label: 'Switch to wasm and resume',
        backend: 'wasm',
        enabled: true,
      },
    ]);
  });

  it('a lost device on wasm moves to cpu; a batch of one cannot be halved', () => {
    const offers = recoveryOffers(
      { kind: 'device-lost', batchSize: 1 },
      { recipe, hasCheckpoint: true, activeBackend: 'wasm' },
    );
    expect(offers[0]).toMatchObject({
      kind: 'halve-batch',
      override: { batchSize: 1 },
      enabled: false,
    });
    expect(offers[1]).toMatchObject({ kind: 'switch-backend', backend: 'cpu', enabled: true });
  });

  it('offers nothing for other failures (the checkpoint waits for the cause to be fixed)', () => {
    expect(
      recoveryOffers({ kind: 'other' }, { recipe, hasCheckpoint: true, activeBackend: 'cpu' }),
    ).toEqual([]);
  });
});
