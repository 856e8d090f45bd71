import { expect, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';

// Share links: a link's setup fills the lab (sets, recipe), edits flow back
// into the URL, a broken link says what is wrong and the lab opens with its
// defaults, and Copy link works with and without a clipboard.

const openRecipe = (page: import('@playwright/test').Page) =>
  page
    .getByTestId('recipe-form')
    .evaluate((el) => (el.closest('details') as HTMLDetailsElement).setAttribute('open', ''));

test('a shared link selects its sets and fills the recipe; edits go back into the URL', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const recipe = encodeURIComponent(JSON.stringify({ sftSteps: 7, dpoSteps: 3, seed: 42 }));
  await page.goto(
    `/?m=embedded:demo-base&ref=embedded:demo-safe&train=demo-bias-train&eval=demo-bias-eval&recipe=${recipe}`,
  );
  await expect(page.getByTestId('link-opened')).toContainText('M = demo-base, M′ = demo-safe');
  await expect(page.getByTestId('link-opened')).toContainText('2 data sets');
  const use = (name: string) => page.getByRole('checkbox', { name: `Use ${name}`, exact: true });
  await expect(use('demo-bias-train')).toBeChecked();
  await expect(use('demo-bias-eval')).toBeChecked();
  await expect(use('demo-toxicity-train')).not.toBeChecked();
  await expect(use('demo-harmful-eval')).not.toBeChecked();
  await openRecipe(page);
  await expect(page.getByTestId('recipe-sftSteps')).toHaveValue('7');
  await expect(page.getByTestId('recipe-dpoSteps')).toHaveValue('3');
  await expect(page.getByTestId('recipe-seed')).toHaveValue('42');
  // The guided flow takes the link's step counts.
  await expect(page.getByTestId('guided')).toContainText('7 SFT + 3 DPO steps');

  // Changing the setup rewrites the address (no new history entry).
  await page.getByTestId('recipe-sftSteps').fill('9');
  await use('demo-toxicity-train').check();
  await expect
    .poll(() => new URL(page.url()).searchParams.get('recipe'))
    .toBe(JSON.stringify({ sftSteps: 9, dpoSteps: 3, seed: 42 }));
  await expect
    .poll(() => new URL(page.url()).searchParams.get('train')?.split(',').sort())
    .toEqual(['demo-bias-train', 'demo-toxicity-train']);
  await expect(page.getByTestId('model-label-base')).toBeVisible({ timeout: 180_000 });
  await expect.poll(() => new URL(page.url()).searchParams.get('m')).toBe('embedded:demo-base');

  // The copied link is the address; it reopens the same setup.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link')).toHaveText('✓ Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());
  expect(errors).toEqual([]);
});

test('a malformed link says what is wrong and the lab opens with its defaults', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/?recipe=%7B%22sftSteps%22%3A3');
  await expect(page.getByTestId('link-error')).toContainText('not valid JSON');
  await expect(page.getByTestId('link-error')).toContainText('opened with its defaults');
  // Defaults: every built-in set selected, the broken recipe gone from the address.
  await expect(
    page.getByRole('checkbox', { name: 'Use demo-toxicity-train', exact: true }),
  ).toBeChecked();
  await expect.poll(() => new URL(page.url()).searchParams.has('recipe')).toBe(false);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('link-error')).toHaveCount(0);

  // Without a clipboard API the link is offered in a selected field.
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
  await page.getByTestId('copy-link').click();
  const field = page.getByTestId('copy-link-field');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(page.url());
  expect(errors).toEqual([]);
});

test('keyboard users reach the guided button right after the header, with a visible focus ring; dark theme applies', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // The strip is drawn with the dark theme's panel colour (--panel: #181c26).
  await expect(page.getByTestId('guided')).toHaveCSS('background-color', 'rgb(24, 28, 38)');

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the lab' })).toBeFocused();
  const order: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      () =>
        document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.textContent,
    );
    order.push(String(id));
    if (id === 'guided-start') break;
  }
  expect(order[0]).toBe('copy-link');
  expect(order.at(-1)).toBe('guided-start');
  const start = page.getByTestId('guided-start');
  await expect(start).toHaveCSS('outline-style', 'solid');
  await expect(start).toHaveCSS('outline-width', '3px');
  await page.screenshot({ path: 'e2e-artifacts/guided-dark-1280.png' });
  expect(errors).toEqual([]);
});
