import { expect, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';

test('the demo pair loads by itself and both summary cards show', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  for (const role of ['base', 'reference']) {
    await expect(page.getByTestId(`model-label-${role}`)).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId(`model-fingerprint-${role}`)).toHaveText(/^[0-9a-f]{8}$/);
  }
  await expect(page.getByTestId('model-label-base')).toContainText('demo-base');
  await expect(page.getByTestId('model-label-reference')).toContainText('demo-safe');
  await expect(page.getByTestId('model-summary-base')).toContainText('wasm');
  expect(errors).toEqual([]);
});

test('a hub id on an unreachable host fails in plain words and keeps the loaded model', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  // Nothing leaves the test machine: the "mirror" refuses every connection.
  await page.route('http://hub.invalid/**', (route) => route.abort('connectionrefused'));
  await page.goto('/');
  await expect(page.getByTestId('model-label-base')).toContainText('demo-base', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('model-label-reference')).toBeVisible({ timeout: 120_000 });

  await page.getByTestId('change-base').click();
  await page.getByTestId('hub-host').fill('http://hub.invalid');
  await page.getByTestId('hub-repo').fill('someone/some-model');
  await page.getByTestId('hub-load').click();

  const failure = page.getByTestId('model-error-base');
  await expect(failure).toContainText('Could not load someone/some-model as M.');
  await expect(failure).toContainText('Could not reach hub.invalid');
  await expect(failure).toContainText('demo-base (embedded demo) is still loaded.');
  await expect(page.getByTestId('model-label-base')).toContainText('demo-base');
  // The worker says the same: M is still the demo model.
  const kept = await page.evaluate(
    () => globalThis.__patchLab.store.getState().models.loaded.base?.modelId,
  );
  expect(kept).toBe('demo-base');
  // The failed fetch is the only console error, and it is the browser's own network log.
  expect(errors.filter((e) => !e.includes('net::ERR_'))).toEqual([]);
});
