import { expect, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';

// Issue 14: every screen tells the truth. A plain reload is not "a shared
// setup"; only a link whose setup differs from the one saved here is.

test('a reload shows no share notice; a link with a different setup does', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  // The lab writes its own setup (with the demo models once loaded) into the address.
  await expect(page.getByTestId('model-label-base')).toBeVisible({ timeout: 180_000 });
  await expect.poll(() => new URL(page.url()).searchParams.get('m')).toBe('embedded:demo-base');
  await page.reload();
  await expect(page.getByTestId('recipe-form')).toBeAttached();
  await expect(page.getByTestId('model-label-base')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('link-opened')).toHaveCount(0);

  // Same models, another recipe: a shared setup, announced with both models named.
  const link = new URL(page.url());
  link.searchParams.set('recipe', JSON.stringify({ sftSteps: 7 }));
  await page.goto(`${link.pathname}${link.search}`);
  await expect(page.getByTestId('link-opened')).toContainText('M = demo-base, M′ = demo-safe');
  await expect(page.getByTestId('link-opened')).toContainText('recipe 7 SFT');
  // Opened once, it is now this browser's setup: reloading it announces nothing.
  await page.reload();
  await expect(page.getByTestId('recipe-form')).toBeAttached();
  await expect(page.getByTestId('model-label-base')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('link-opened')).toHaveCount(0);
  expect(errors).toEqual([]);
});
