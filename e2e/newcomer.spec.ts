import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type { LabClient } from '../src/client/lab-client';
import { collectPageErrors } from './console-guard';

declare global {
  var __patchLab: LabClient;
}

// A new user's first visit, end to end, on the embedded demo pair: the
// guided flow (with a shortened recipe in the link, since the browser here
// runs wasm on 2 shared cores), the charts, exporting the patch, a reload,
// importing the file again and comparing answers in the playground.
// Screenshots of each step go to e2e-artifacts/newcomer/; the one taken
// mid-training becomes the README's docs/screenshot.png.

const OUT = 'e2e-artifacts/newcomer';
const RECIPE = {
  sftSteps: 3,
  dpoSteps: 2,
  evalEvery: 2,
  nVirtualTokens: 4,
  batchSize: 2,
  maxAnswerTokens: 6,
  checkpointEvery: 0,
};

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${OUT}/${name}.png`, fullPage: false });

async function modelsLoaded(page: Page) {
  await expect(page.getByTestId('model-label-base')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('model-label-reference')).toBeVisible({ timeout: 180_000 });
}

test('a newcomer patches the demo, exports the patch, and gets it back after a reload', async ({
  page,
}) => {
  test.setTimeout(900_000);
  mkdirSync(OUT, { recursive: true });
  const errors = collectPageErrors(page);

  // 1. Open the app (with the shortened recipe a speaker could put in a link).
  await page.goto(`/?recipe=${encodeURIComponent(JSON.stringify(RECIPE))}`);
  await expect(page.getByTestId('link-opened')).toContainText('recipe 3 SFT + 2 DPO steps');
  await expect(page.getByTestId('guided')).toContainText('3 SFT + 2 DPO steps');

  // 2. The demo pair loads by itself.
  await modelsLoaded(page);
  await expect(page.getByTestId('model-label-base')).toContainText('demo-base');
  await shot(page, '1-opened');

  // Small evaluation settings: the flow keeps settings smaller than its quick ones.
  const metrics = page.locator('[data-panel="metrics"]');
  await metrics.locator('summary', { hasText: 'Evaluation settings' }).click();
  await metrics.getByTestId('eval-prompts').fill('2');
  await metrics.getByTestId('eval-k').fill('1');
  await metrics.getByTestId('eval-max-tokens').fill('6');
  await metrics.locator('summary', { hasText: 'Evaluation settings' }).click();

  // 3. One click runs the whole demo.
  await page.getByTestId('guided-start').click();
  await expect(page.getByTestId('guided-step-models')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('guided-step-train')).toHaveAttribute('data-status', 'running', {
    timeout: 400_000,
  });
  await expect(page.getByTestId('guided-progress')).toBeVisible();
  // Mid-training, once M+P has its first point: the README's screenshot.
  const tox = metrics.getByTestId('metrics-chart-toxicity');
  await expect
    .poll(async () => Number(await tox.getAttribute('data-points')), { timeout: 300_000 })
    .toBeGreaterThanOrEqual(1);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot(page, '2-training-1920');
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, '2-training-1280');

  await expect(page.getByTestId('guided')).toHaveAttribute('data-status', 'done', {
    timeout: 400_000,
  });
  await expect(page.getByTestId('guided-done')).toBeVisible();

  // 4. Charts: M, M′ and M+R reference lines and M+P points on every domain.
  for (const domain of ['toxicity', 'bias', 'refusal']) {
    const chart = metrics.getByTestId(`metrics-chart-${domain}`);
    await expect(chart.getByTestId(`ref-m-${domain}`)).toHaveText(/^\d/);
    await expect(chart.getByTestId(`ref-mref-${domain}`)).toHaveText(/^\d/);
    await expect(chart.getByTestId(`ref-mr-${domain}`)).toHaveText(/^\d/);
    await expect(chart.locator('.recharts-reference-line')).toHaveCount(3);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
  }
  // The flow ends in the playground with M and M+P side by side.
  const playground = page.locator('[data-panel="playground"]');
  await expect(playground.getByTestId('answer-base').getByTestId('answer-text')).not.toBeEmpty();
  await expect(playground.getByTestId('answer-patched').getByTestId('answer-text')).not.toBeEmpty();
  await metrics.scrollIntoViewIfNeeded();
  await shot(page, '3-done');

  // 5. Export the patch.
  const patches = page.locator('[data-panel="patches"]');
  const row = patches.getByTestId('patch-row').filter({ hasText: 'demo patch' });
  await expect(row).toHaveCount(1);
  const downloading = page.waitForEvent('download');
  await row.getByTestId('patch-download').click();
  const download = await downloading;
  const file = `${OUT}/${download.suggestedFilename()}`;
  await download.saveAs(file);
  expect(download.suggestedFilename()).toMatch(/\.patch\.safetensors$/);
  expect(statSync(file).size).toBeGreaterThan(100);
  // Its manifest carries the report card: the newest M+P with M, M′ and M+R, n and the judges.
  const raw = readFileSync(file);
  const header = JSON.parse(raw.subarray(8, 8 + Number(raw.readBigUInt64LE(0))).toString('utf8'));
  const manifest = JSON.parse(header.__metadata__.patch_lab);
  expect(manifest.metrics['toxicity.expectedMax']).toMatchObject({
    base: expect.any(Number),
    patched: expect.any(Number),
    reference: expect.any(Number),
    control: expect.any(Number),
    n: expect.any(Number),
  });
  expect(manifest.metricsContext.control.kind).toBe('random-patch');
  expect(manifest.metricsContext.scorers['harmful.refusalRate'].name).not.toBe('');

  // 6. Reload: the patch is still in the library.
  await page.reload();
  await expect(patches.getByTestId('patch-row').filter({ hasText: 'demo patch' })).toHaveCount(1, {
    timeout: 60_000,
  });
  await modelsLoaded(page);
  await shot(page, '4-reloaded');

  // 7. Delete it and import the downloaded file: it is read back and verified.
  await patches
    .getByTestId('patch-row')
    .filter({ hasText: 'demo patch' })
    .getByTestId('patch-delete')
    .click();
  await expect(patches.getByTestId('patch-undo')).toBeVisible();
  await patches.getByTestId('patch-import-input').setInputFiles(file);
  const result = patches.getByTestId('import-result');
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result).toContainText('Imported "demo patch"');
  const imported = patches.getByTestId('patch-row').filter({ hasText: 'demo patch' });
  await expect(imported.getByTestId('verification')).toHaveAttribute('data-state', 'unsigned');
  await expect(imported.getByTestId('patch-fit')).toHaveClass(/fit-ok/);
  await shot(page, '5-imported');

  // 8. Apply it and compare base and patched answers in the playground.
  await imported.getByTestId('patch-apply').click();
  await expect(patches.getByTestId('applied-stack')).toContainText('demo patch');
  await playground.getByTestId('playground-prompt').fill('What do you think of my coworker?');
  await playground.getByTestId('sampling-maxNewTokens').fill('8');
  await playground.getByTestId('playground-run').click();
  await expect(playground.getByTestId('answer-patched')).toContainText('demo patch', {
    timeout: 120_000,
  });
  await expect(playground.getByTestId('answer-base').getByTestId('answer-scores')).toBeVisible({
    timeout: 120_000,
  });
  await expect(playground.getByTestId('answer-patched').getByTestId('answer-scores')).toBeVisible({
    timeout: 120_000,
  });
  await shot(page, '6-playground');

  // The README's picture: copy it by hand to docs/screenshot.png when the UI changes.
  copyFileSync(`${OUT}/2-training-1920.png`, 'e2e-artifacts/screenshot-candidate.png');
  expect(errors).toEqual([]);
});
