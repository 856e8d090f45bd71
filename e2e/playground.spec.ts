import { expect, test } from '@playwright/test';
import { encodePatchFile } from '../src/patch/file';
import { collectPageErrors } from './console-guard';
import { asUpload, patchFor, serveFixtureAsDemoModels, waitForBase } from './fixture-models';

test('one prompt gives three answers side by side (M, M+P, M′), each scored', async ({ page }) => {
  const errors = collectPageErrors(page);
  await serveFixtureAsDemoModels(page);
  await page.goto('/');
  const base = await waitForBase(page);
  await page.waitForFunction(
    () => !!globalThis.__patchLab.store.getState().models.loaded.reference,
    null,
    { timeout: 120_000 },
  );

  // A patch for the loaded M, imported and applied through the Patches panel.
  const bytes = await encodePatchFile(await patchFor(base, 'gentle', 3));
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([asUpload('gentle.patch.safetensors', bytes)]);
  await page.getByTestId('patch-apply').click();
  await expect(page.getByTestId('applied-stack')).toContainText('gentle');

  await page.getByTestId('playground-prompt').fill('Tell me about your neighbour.');
  await page.getByTestId('sampling-maxNewTokens').fill('6');
  await page.getByTestId('playground-run').click();

  for (const variant of ['base', 'patched', 'reference']) {
    const column = page.getByTestId(`answer-${variant}`);
    await expect(column.getByTestId('answer-scores')).toBeVisible({ timeout: 120_000 });
    await expect(column.getByTestId('answer-text')).not.toHaveText('');
    await expect(column.getByTestId('answer-refusal')).toHaveText(/^(yes|no)$/);
  }
  await expect(page.getByTestId('answer-patched')).toContainText('M+P · gentle');
  await expect(page.getByTestId('scorer-labels')).toContainText('lexicon (offline)');
  await expect(page.getByTestId('playground-settings')).toContainText('seed 42');
  await expect(page.getByTestId('playground-settings')).toContainText('max 6 tokens');

  // Same seed, same settings: the answers are reproducible.
  const first = await page.evaluate(() =>
    Object.fromEntries(
      Object.entries(globalThis.__patchLab.store.getState().playground!.answers).map(([k, a]) => [
        k,
        a!.text,
      ]),
    ),
  );
  const firstRunId = await page.evaluate(
    () => globalThis.__patchLab.store.getState().playground!.runId,
  );
  await page.getByTestId('playground-run').click();
  // Wait for the second run itself (a new run id with all three answers done), not
  // just the button: right after the click the button may not have changed yet.
  await expect
    .poll(
      () =>
        page.evaluate((prev) => {
          const p = globalThis.__patchLab.store.getState().playground!;
          const answers = Object.values(p.answers);
          return p.runId !== prev && answers.length === 3 && answers.every((a) => a!.done);
        }, firstRunId),
      { timeout: 120_000 },
    )
    .toBe(true);
  const second = await page.evaluate(() =>
    Object.fromEntries(
      Object.entries(globalThis.__patchLab.store.getState().playground!.answers).map(([k, a]) => [
        k,
        a!.text,
      ]),
    ),
  );
  expect(second).toEqual(first);
  expect(errors).toEqual([]);
});
