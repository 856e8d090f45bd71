// A trained patch's `recipe.collectedSetId` (which pairs trained it): kept
// through a file round trip, and anything but "collected-"/"joint-" and 16
// hex digits refused with an error naming the field.
import { describe, expect, it } from 'vitest';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch } from './fixtures/make-patch';
import type { PatchRecipe } from './types';

const opts = { fileName: 'p.patch.safetensors' };
const recipe = (collectedSetId: string): PatchRecipe => ({
  init: { method: 'random' },
  stages: [{ kind: 'sft', steps: 1 }],
  beta: null,
  learningRate: 0.001,
  datasets: [],
  seed: 1,
  collectedSetId,
});

async function roundTrip(id: string) {
  const p = await makePatch({ seed: 1, name: 'p' });
  return decodePatchFile(
    await encodePatchFile({ ...p, manifest: { ...p.manifest, recipe: recipe(id) } }),
    opts,
  );
}

describe('recipe.collectedSetId', () => {
  it('survives a round trip for a collection and for a joint union', async () => {
    for (const id of ['collected-0123456789abcdef', 'joint-fedcba9876543210']) {
      expect((await roundTrip(id)).patch.manifest.recipe?.collectedSetId).toBe(id);
    }
  });

  it('refuses other shapes, naming the field', async () => {
    for (const id of ['collected-123', 'other-0123456789abcdef', 'joint-0123456789ABCDEF']) {
      const err = await roundTrip(id).then(
        () => null,
        (e) => e,
      );
      expect(err).toBeInstanceOf(PatchFileError);
      expect(String(err.message)).toContain('recipe.collectedSetId');
    }
  });
});
