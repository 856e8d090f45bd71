import { expect, test } from '@playwright/test';
import { encodePatchFile } from '../src/patch/file';
import type { ModelSummary } from '../src/protocol/messages';
import { collectPageErrors } from './console-guard';
import { demoModelsLoaded, demoPromptSet } from './demo-pair';
import { asUpload, patchFor } from './fixture-models';

// A 2-patch stack on the embedded demo models whose manifests name the pairs
// collected here (one toxicity, one bias parent): after the composition
// report, "Retrain this stack jointly" with 1 SFT + 1 DPO step shows the
// before/after table and adds the joint patch to the library.
test('a 2-patch stack retrained jointly shows before/after and a new library row', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  // The lab loads the demo pair on open.
  await demoModelsLoaded(page);
  const base = (await page.evaluate(
    () => globalThis.__patchLab.store.getState().models.loaded.base,
  )) as ModelSummary;
  const sets = [
    demoPromptSet('demo-toxicity-train.json', 2),
    demoPromptSet('demo-bias-train.json', 2),
  ];
  const collectedId = await page.evaluate(async (sets) => {
    const client = globalThis.__patchLab;
    await client.run({
      type: 'collect',
      runId: client.newRunId(),
      sets,
      settings: {
        temperature: 0,
        topK: 0,
        topP: 1,
        maxAnswerTokens: 4,
        maxPromptTokens: 24,
        batchSize: 4,
        seed: 1,
      },
    });
    return client.store.getState().train.collected?.id as string;
  }, sets);
  expect(collectedId).toMatch(/^collected-/);

  const metrics = page.locator('[data-panel="metrics"]');
  await metrics.locator('summary', { hasText: 'Evaluation settings' }).click();
  await metrics.getByTestId('eval-scorer').selectOption('lexicon');
  await metrics.getByTestId('eval-prompts').fill('2');
  await metrics.getByTestId('eval-k').fill('1');
  await metrics.getByTestId('eval-max-tokens').fill('4');

  // alpha names the pairs collected above; beta names none (as an imported patch), so the section offers pairs for it.
  const trained = async (
    name: string,
    seed: number,
    domain: 'toxicity' | 'bias',
    pairs: string | null,
  ) => {
    const p = await patchFor(base, name, seed);
    p.manifest.domains = [domain];
    p.manifest.recipe = {
      init: { method: 'random' },
      stages: [{ kind: 'sft', steps: 1 }],
      beta: null,
      learningRate: 0.001,
      datasets: [],
      seed: 1,
      ...(pairs ? { collectedSetId: pairs } : {}),
    };
    return encodePatchFile(p);
  };
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([
      asUpload('alpha.patch.safetensors', await trained('alpha', 1, 'toxicity', collectedId)),
      asUpload('beta.patch.safetensors', await trained('beta', 2, 'bias', null)),
    ]);
  await expect(page.getByTestId('patch-row')).toHaveCount(2);
  await page.getByLabel('Select "alpha" for stacking').check();
  await page.getByLabel('Select "beta" for stacking').check();
  await page.getByTestId('composition-run').click();
  await expect(page.getByTestId('composition-table')).toBeVisible({ timeout: 240_000 });

  const joint = page.getByTestId('joint-retrain');
  const pairs = joint.getByTestId('joint-pairs');
  await expect(pairs.locator('li[data-status="stored"]')).toHaveCount(1);
  const unknown = pairs.locator('li[data-status="unknown"]');
  await expect(unknown).toContainText('"beta" does not say which pairs trained it');
  await expect(joint.getByTestId('joint-run')).toBeDisabled();
  await unknown.getByTestId('joint-use-collected').click();
  await expect(pairs.locator('li[data-status="stored"]')).toHaveCount(2);
  await joint.getByTestId('joint-sft').fill('1');
  await joint.getByTestId('joint-dpo').fill('1');
  await joint.getByTestId('joint-run').click();
  const table = joint.getByTestId('joint-table');
  await expect(table).toBeVisible({ timeout: 240_000 });
  await expect(table.getByTestId('joint-row')).toHaveCount(2);
  await expect(table.locator('thead')).toContainText('(before)');
  await expect(table.locator('thead')).toContainText('(after)');
  await expect(joint.getByTestId('joint-saved')).toContainText('(joint)');
  await expect(page.getByTestId('patch-row')).toHaveCount(3);
  expect(errors).toEqual([]);
});
