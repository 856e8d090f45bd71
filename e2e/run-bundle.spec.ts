import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { collectPageErrors } from './console-guard';
import { demoModelsLoaded, demoPromptSet } from './demo-pair';

// The Train panel's "Export run bundle" on the embedded demo pair: collect a
// handful of pairs, then the button's zip holds the bundle's files, its
// JSONL rows parse, and the Python is the repo's.
const SETS = [
  demoPromptSet('demo-toxicity-train.json', 2),
  demoPromptSet('demo-harmful-train.json', 2),
];

test('export a run bundle for PyTorch + PEFT from the Train panel', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  await demoModelsLoaded(page);
  await expect(page.getByTestId('train-export-bundle')).toBeDisabled();
  await page.evaluate(async (sets) => {
    const client = globalThis.__patchLab;
    await client.run({
      type: 'collect',
      runId: client.newRunId(),
      sets,
      settings: {
        temperature: 0,
        topK: 0,
        topP: 1,
        maxAnswerTokens: 6,
        maxPromptTokens: 24,
        batchSize: 4,
        seed: 1,
      },
    });
  }, SETS);
  await expect(page.getByTestId('collected-count')).toHaveText('4');
  await page.getByTestId('patch-name').fill('demo bundle');
  const button = page.getByTestId('train-export-bundle');
  await expect(button).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe('demo-bundle.run-bundle.zip');
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const names = Object.keys(zip).sort();
  for (const f of [
    'README.md',
    'dpo.jsonl',
    'patch_lab.json',
    'recipe.json',
    'sft.jsonl',
    'train_patch.py',
    'patch_helpers.py',
  ]) {
    expect(names).toContain(`demo-bundle/${f}`);
  }
  expect(names.some((n) => n.startsWith('demo-bundle/eval/'))).toBe(true);
  const rows = strFromU8(zip['demo-bundle/dpo.jsonl'])
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(rows).toHaveLength(4);
  for (const r of rows) {
    expect(r.prompt[0].role).toBe('user');
    expect(r.chosen[0].role).toBe('assistant');
    expect(Number.isFinite(r.ref_model_chosen_logp)).toBe(true);
  }
  expect(strFromU8(zip['demo-bundle/train_patch.py'])).toBe(
    readFileSync('scripts/peft/train_patch.py', 'utf8'),
  );
  const spec = JSON.parse(strFromU8(zip['demo-bundle/recipe.json']));
  expect(spec.base.id).toBe('demo-base');
  expect(spec.reference.id).toBe('demo-safe');
  expect(errors).toEqual([]);
});
