import { expect, test } from '@playwright/test';
import { composePatches } from '../src/patch/compose';
import { encodePatchFile } from '../src/patch/file';
import { collectPageErrors } from './console-guard';
import { loadDemoPair } from './demo-pair';
import { asUpload, patchFor } from './fixture-models';

// A 2-patch stack on the embedded demo models, with tiny evaluation limits:
// a stacked patch imported from a file shows its manifest composition in its
// row; the composition report runs (each patch alone, both orders) with one
// progress bar and the table shows both orders; stacking records what that
// order cost in the new patch; and after a reload the report is still shown,
// with the settings it ran under.
test('composition report of a 2-patch stack shows both orders, and again after a reload', async ({
  page,
}) => {
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

  const alpha = await patchFor(base, 'alpha', 1);
  const beta = await patchFor(base, 'beta', 2);
  // A stack made elsewhere, whose manifest carries its composition report.
  const fromFile = await composePatches([alpha, beta], { name: 'alpha+beta from a file' });
  fromFile.manifest.composition = {
    order: fromFile.manifest.parents.map((p) => p.tensorSha256),
    domains: [{ domain: 'toxicity', alone: 0.8, stacked: 0.5 }],
    evaluatedOrders: 2,
    recommendedOrder: fromFile.manifest.parents.map((p) => p.tensorSha256).reverse(),
  };
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([
      asUpload('alpha.patch.safetensors', await encodePatchFile(alpha)),
      asUpload('beta.patch.safetensors', await encodePatchFile(beta)),
      asUpload('stack.patch.safetensors', await encodePatchFile(fromFile)),
    ]);
  await expect(page.getByTestId('patch-row')).toHaveCount(3);
  const imported = page.getByTestId('patch-row').filter({ hasText: 'alpha+beta from a file' });
  // Visible in the row itself, not only inside the collapsed manifest.
  await expect(imported.getByTestId('manifest-composition-summary')).toBeVisible();
  await expect(imported.getByTestId('manifest-composition-summary')).toHaveText(
    'Composition: alpha → beta; 2 orders measured, best beta → alpha',
  );
  await imported.getByTestId('manifest-composition-summary').click();
  await expect(imported.getByTestId('manifest-composition').locator('tbody tr')).toHaveText([
    /toxicity\s*80 %\s*50 %\s*30/,
  ]);

  await page.getByLabel('Select "alpha" for stacking').check();
  await page.getByLabel('Select "beta" for stacking').check();
  await page.getByTestId('composition-run').click();
  await expect(page.getByTestId('composition-progress')).toBeVisible();
  const table = page.getByTestId('composition-table');
  await expect(table).toBeVisible({ timeout: 240_000 });
  await expect(table.getByTestId('composition-order')).toHaveText([/alpha → beta/, /beta → alpha/]);
  await expect(table.locator('caption')).toContainText(/Recommended order|none is recommended/);
  await expect(page.getByTestId('composition-settings')).toContainText('first 2 prompts per set');

  // Stacking records the measured cost of this order in the new patch.
  await page.getByTestId('stack-compose').click();
  const stacked = page.getByTestId('patch-row').filter({ hasText: 'alpha + beta' });
  await expect(stacked.getByTestId('manifest-composition-summary')).toContainText(
    '2 orders measured',
  );

  await page.reload();
  const again = page.getByTestId('composition-table');
  await expect(again).toBeVisible();
  await expect(again.getByTestId('composition-order')).toHaveText([/alpha → beta/, /beta → alpha/]);
  await expect(page.getByTestId('composition-settings')).toContainText('first 2 prompts per set');
  expect(errors).toEqual([]);
});

// A 4-stack evaluates the orders ticked in the picker, and only those.
test('a 4-patch stack runs exactly the orders the user ticks', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  const base = await loadDemoPair(page);
  const metrics = page.locator('[data-panel="metrics"]');
  await metrics.locator('summary', { hasText: 'Evaluation settings' }).click();
  await metrics.getByTestId('eval-scorer').selectOption('lexicon');
  await metrics.getByTestId('eval-prompts').fill('1');
  await metrics.getByTestId('eval-k').fill('1');
  await metrics.getByTestId('eval-max-tokens').fill('2');
  const names = ['p1', 'p2', 'p3', 'p4'];
  const files = [];
  for (const [i, n] of names.entries()) {
    files.push(
      asUpload(`${n}.patch.safetensors`, await encodePatchFile(await patchFor(base, n, i + 1))),
    );
  }
  await page.getByTestId('patch-import-input').setInputFiles(files);
  await expect(page.getByTestId('patch-row')).toHaveCount(4);
  for (const n of names) await page.getByLabel(`Select "${n}" for stacking`).check();

  const picker = page.getByTestId('composition-orders');
  await expect(picker.locator('summary')).toHaveText('Orders to evaluate: 5 of 24');
  await picker.locator('summary').click();
  await picker.getByRole('button', { name: 'None' }).click();
  await expect(page.getByTestId('composition-run')).toBeDisabled();
  await expect(page.getByTestId('composition')).toContainText(
    'Tick at least one order to evaluate.',
  );
  await picker.getByLabel('p4 → p3 → p2 → p1').check();
  await picker.getByLabel('p2 → p1 → p4 → p3').check();
  await expect(page.getByTestId('composition-run')).toHaveText('Composition report (2 orders)');
  await page.getByTestId('composition-run').click();
  const table = page.getByTestId('composition-table');
  await expect(table).toBeVisible({ timeout: 240_000 });
  // The picker lists orders in lexicographic order, so p2 → … comes before p4 → ….
  await expect(table.getByTestId('composition-order')).toHaveText([
    /p2 → p1 → p4 → p3/,
    /p4 → p3 → p2 → p1/,
  ]);
  expect(errors).toEqual([]);
});
