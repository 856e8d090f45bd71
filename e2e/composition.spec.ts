import { expect, test } from '@playwright/test';
import { encodePatchFile } from '../src/patch/file';
import { collectPageErrors } from './console-guard';
import { loadDemoPair } from './demo-pair';
import { asUpload, patchFor } from './fixture-models';

// A 2-patch stack on the embedded demo models: the composition report runs
// (each patch alone, both orders) and the table shows both orders.
test('composition report of a 2-patch stack shows both orders', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  const base = await loadDemoPair(page);
  const metrics = page.locator('[data-panel="metrics"]');
  await metrics.locator('summary', { hasText: 'Evaluation settings' }).click();
  await metrics.getByTestId('eval-scorer').selectOption('lexicon');
  await metrics.getByTestId('eval-prompts').fill('2');
  await metrics.getByTestId('eval-k').fill('1');
  await metrics.getByTestId('eval-max-tokens').fill('4');

  const a = await encodePatchFile(await patchFor(base, 'alpha', 1));
  const b = await encodePatchFile(await patchFor(base, 'beta', 2));
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([asUpload('alpha.patch.safetensors', a), asUpload('beta.patch.safetensors', b)]);
  await expect(page.getByTestId('patch-row')).toHaveCount(2);
  await page.getByLabel('Select "alpha" for stacking').check();
  await page.getByLabel('Select "beta" for stacking').check();
  await page.getByTestId('composition-run').click();
  const table = page.getByTestId('composition-table');
  await expect(table).toBeVisible({ timeout: 240_000 });
  await expect(table.getByTestId('composition-order')).toHaveText([/alpha → beta/, /beta → alpha/]);
  await expect(table.locator('caption')).toContainText(/Recommended order|none is recommended/);
  expect(errors).toEqual([]);
});
