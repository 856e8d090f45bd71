import { expect, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';

// Issue 13: a hostile or mangled share link must neither crash the Train
// panel nor be saved as its recipe draft; every bad value is named in the
// link notice and replaced by its default. And when a panel does throw while
// rendering, only that panel shows the failure, with a reset of its saved
// settings that keeps everything else.

const recipeLink = (recipe: unknown) => `/?recipe=${encodeURIComponent(JSON.stringify(recipe))}`;

test('a link with invalid recipe values opens with defaults, names them, and is not saved', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto(recipeLink({ init: { kind: 'text', text: 5 }, seed: -1, sftSteps: 9 }));
  const issues = page.getByTestId('link-issues');
  await expect(issues).toContainText('recipe.init must be');
  await expect(issues).toContainText(
    'recipe.seed must be an integer from 0 to 4294967295 (got -1)',
  );
  // The good value is kept, the bad ones are the defaults.
  await expect(page.getByTestId('link-opened')).toContainText('recipe 9 SFT + 40 DPO steps');
  await expect(page.getByTestId('recipe-form')).toBeAttached();
  const stored = await page.evaluate(() => localStorage.getItem('patch-lab.train.recipe-draft'));
  const draft = JSON.parse(stored ?? '{}').value;
  expect(typeof draft.initText).toBe('string');
  expect(draft.numbers.seed).toBe('1');
  expect(draft.numbers.sftSteps).toBe('9');

  // Next load, without the link: the Train panel still renders.
  await page.goto('/');
  await expect(page.getByTestId('recipe-form')).toBeAttached();
  await expect(page.getByTestId('panel-error-train')).toHaveCount(0);

  await page.goto('/?recipe=null');
  await expect(page.getByTestId('link-issues')).toContainText(
    'recipe must be an object of recipe fields (got null)',
  );
  await expect(page.getByTestId('recipe-form')).toBeAttached();
  expect(errors).toEqual([]);
});

test('a panel that throws while rendering shows what broke and resets only its settings', async ({
  page,
}) => {
  // Simulates a render bug set off by a saved setting: the Train panel trims
  // the init text on every render, and this marker text makes that throw.
  // (Storage itself can no longer hold a draft of the wrong type.)
  await page.addInitScript(() => {
    const trim = String.prototype.trim;
    String.prototype.trim = function (this: string) {
      if (String(this) === 'CRASH-ON-RENDER')
        throw new Error('render bug set off by the init text');
      return trim.call(this);
    };
    // Seeded once, before the app reads storage (a later write could race its own saves).
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem(
      'patch-lab.train.recipe-draft',
      JSON.stringify({ version: 1, value: { initKind: 'text', initText: 'CRASH-ON-RENDER' } }),
    );
    localStorage.setItem(
      'patch-lab.hub-settings',
      JSON.stringify({ version: 1, value: { host: 'https://mirror.example', enabled: false } }),
    );
  });
  await page.goto('/');

  const failure = page.getByTestId('panel-error-train');
  await expect(failure).toContainText('The Train panel stopped working');
  await expect(failure).toContainText('render bug set off by the init text');
  await expect(failure).toContainText('Patches, checkpoints and imported sets are kept');
  const databasesBefore = await page.evaluate(async () =>
    (await indexedDB.databases()).map((d) => d.name).sort(),
  );
  // The rest of the lab is alive.
  await expect(page.locator('[data-panel="models"] h2')).toHaveText('Models');
  await expect(page.locator('[data-panel="patches"] h2')).toHaveText('Patches');

  await failure.getByRole('button', { name: "Reset the Train panel's settings" }).click();
  await expect(page.getByTestId('panel-error-train')).toHaveCount(0);
  await expect(page.getByTestId('recipe-form')).toBeAttached();
  const after = await page.evaluate(async () => ({
    initText: JSON.parse(localStorage.getItem('patch-lab.train.recipe-draft') ?? '{}').value
      ?.initText,
    hub: JSON.parse(localStorage.getItem('patch-lab.hub-settings') ?? '{}').value,
    databases: (await indexedDB.databases()).map((d) => d.name).sort(),
  }));
  expect(after.initText).not.toBe('CRASH-ON-RENDER');
  expect(after.hub).toEqual({ host: 'https://mirror.example', enabled: false });
  expect(after.databases).toEqual(expect.arrayContaining(databasesBefore));
});
