import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';
import { demoModelsLoaded, demoPromptSet } from './demo-pair';

// Nothing the user made is lost on a reload (issue 14): collected pairs, the
// run (from its checkpoint) and the Metrics charts come back, and the patch
// saved after the resume carries the numbers the charts show. The embedded
// demo pair, a handful of prompts, a 6-step recipe and 2-prompt evaluations
// keep the 2-core wasm run short.

const SETS = [
  demoPromptSet('demo-toxicity-train.json', 3),
  demoPromptSet('demo-bias-train.json', 3),
];

test('collected pairs, the run and the metrics history survive reloads; the exported card holds the numbers on screen', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  await demoModelsLoaded(page);
  const metrics = page.locator('[data-panel="metrics"]');
  const train = page.locator('[data-panel="train"]');

  // Quick evaluations, also during training (every 2 updates).
  await metrics.locator('summary', { hasText: 'Evaluation settings' }).click();
  await metrics.getByTestId('eval-scorer').selectOption('lexicon');
  await metrics.getByTestId('eval-prompts').fill('2');
  await metrics.getByTestId('eval-k').fill('1');
  await metrics.getByTestId('eval-max-tokens').fill('6');
  const every = metrics.getByLabel('…at most every k training steps');
  await every.fill('2');
  await every.press('Enter');
  await metrics.getByTestId('eval-baselines').click();
  await expect(metrics.getByTestId('ref-mr-toxicity')).toHaveText(/^\d/, { timeout: 180_000 });

  // 1. Collect through the worker (a few prompts; the panel's own sets are
  // hundreds), and after the reload ask with the same key, as the panel does
  // for its own sets and sampling whenever the key changes.
  const sampling = {
    temperature: 0,
    topK: 0,
    topP: 1,
    maxAnswerTokens: 6,
    maxPromptTokens: 24,
    batchSize: 6,
    seed: 1,
  };
  // A short recipe through the form.
  await train
    .getByTestId('recipe-form')
    .evaluate((el) => (el.closest('details') as HTMLDetailsElement).setAttribute('open', ''));
  const fields: [string, string][] = [
    ['nVirtualTokens', '4'],
    ['sftSteps', '4'],
    ['dpoSteps', '2'],
    ['batchSize', '2'],
    ['warmupSteps', '1'],
    ['checkpointEvery', '3'],
    ['evalEvery', '2'],
    ['maxAnswerTokens', '6'],
    ['maxPromptTokens', '24'],
  ];
  for (const [k, v] of fields) await train.getByTestId(`recipe-${k}`).fill(v);
  await expect(train.getByTestId('recipe-error')).toHaveCount(0);
  // The demo strip follows the form: what a click would run now, not what it read at load.
  await expect(page.getByTestId('guided-recipe')).toContainText('4 SFT + 2 DPO steps');
  await page.evaluate(
    async ({ sets, sampling }) => {
      const client = globalThis.__patchLab;
      await client.run({ type: 'collect', runId: client.newRunId(), sets, settings: sampling });
    },
    { sets: SETS, sampling },
  );
  await expect(train.getByTestId('collected-count')).toHaveText('6');

  // 2. Reload: the stored pairs are found for the same key; nobody asks to collect again.
  await page.reload();
  await demoModelsLoaded(page);
  await page.evaluate(
    async ({ sets, sampling }) => {
      const client = globalThis.__patchLab;
      await client.query({ type: 'collect-lookup', sets, settings: sampling }, 'collected-lookup');
    },
    { sets: SETS, sampling },
  );
  await expect(train.getByTestId('collected-count')).toHaveText('6');
  await expect(train.getByText('Collect the answers first')).toHaveCount(0);

  // 3. Train past the first checkpoint (step 1) and the first M+P evaluation (step 2), then pause.
  await expect(train.getByTestId('train-start')).toBeEnabled();
  // Pause as soon as the first M+P point arrives (as a user would, but not at
  // the mercy of a 2-core machine's timing): the loop halts after that update.
  await page.evaluate(() => {
    const client = globalThis.__patchLab;
    const off = client.subscribe((e) => {
      if (e.type === 'eval-result' && e.result.trainRunId) {
        off();
        client.send({ type: 'train-control', runId: e.result.trainRunId, action: 'pause' });
      }
    });
  });
  await train.getByTestId('train-start').click();
  // The header, the panel and the strip read one status model.
  await expect(page.getByTestId('header-run-status')).toBeVisible({ timeout: 60_000 });
  await expect(train.getByTestId('recipe-summary')).toContainText('Running: 4 SFT + 2 DPO steps');
  const tox = metrics.getByTestId('metrics-chart-toxicity');
  await expect(train.getByTestId('train-status')).toContainText('paused', { timeout: 120_000 });
  await expect(train.getByTestId('train-resume')).toBeEnabled();
  const pausedAt = await page.evaluate(() => globalThis.__patchLab.store.getState().train.status);
  expect(pausedAt?.step).toBeLessThan(6);
  expect(Number(await tox.getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
  // The readout names the newest checkpoint (the one taken on pause).
  await expect(train.getByTestId('train-checkpoint')).toHaveText(`step ${pausedAt?.step}`);
  const chartPoints = await tox.getAttribute('data-points');
  const shownMp = await metrics.getByTestId('mp-last-toxicity').textContent();

  // 4. Reload: resume offer, the stored pairs, and the charts as they were.
  await page.reload();
  await demoModelsLoaded(page);
  await expect(train.getByTestId('resume-run')).toHaveText(
    `Resume run from step ${pausedAt?.step}`,
  );
  await expect(train.getByTestId('resume-run')).toBeEnabled();
  await expect(train.getByText('Collect the answers first')).toHaveCount(0);
  await expect(tox).toHaveAttribute('data-points', chartPoints ?? '', { timeout: 60_000 });
  await expect(metrics.getByTestId('mp-last-toxicity')).toHaveText(shownMp ?? '');
  await expect(metrics.getByTestId('ref-m-toxicity')).toHaveText(/^\d/);

  // 5. Resume to the end: the points from before the reload stay on the curve.
  await train.getByTestId('resume-run').click();
  await expect(train.getByTestId('train-status')).toContainText('done', { timeout: 240_000 });
  await expect(train.getByTestId('train-saved')).toContainText('safety patch');
  expect(Number(await tox.getAttribute('data-points'))).toBeGreaterThanOrEqual(Number(chartPoints));
  const onScreen = Number(await metrics.getByTestId('mp-last-toxicity').textContent());

  // 6. Export: the manifest's report card holds the numbers the chart shows.
  const row = page
    .locator('[data-panel="patches"]')
    .getByTestId('patch-row')
    .filter({ hasText: 'safety patch' });
  const downloading = page.waitForEvent('download');
  await row.first().getByTestId('patch-download').click();
  const file = test.info().outputPath('patch.safetensors');
  await (await downloading).saveAs(file);
  const raw = readFileSync(file);
  const header = JSON.parse(raw.subarray(8, 8 + Number(raw.readBigUInt64LE(0))).toString('utf8'));
  const manifest = JSON.parse(header.__metadata__.patch_lab);
  expect(Object.keys(manifest.metrics).length).toBeGreaterThan(0);
  const card = manifest.metrics['toxicity.expectedMax'];
  expect(card).toMatchObject({ n: 2, base: expect.any(Number), reference: expect.any(Number) });
  // The chart shows the value rounded; the card keeps it whole.
  expect(Math.abs(card.patched - onScreen)).toBeLessThan(0.006);
  expect(manifest.metricsContext.scorers['toxicity.expectedMax'].name).not.toBe('');
  // The Patches panel shows that card: M+P's number (to 2 places) with its interval.
  const cardRow = row.first().getByTestId('report-card-toxicity.expectedMax');
  await row.first().getByTestId('report-card').locator('summary').click();
  await expect(cardRow.getByTestId('report-card-patched')).toHaveText(
    new RegExp(`^${card.patched.toFixed(2)}( \\[|$)`),
  );

  // 7. The downloaded file, imported into a library that no longer holds it,
  // shows the same card.
  const shownCard = await cardRow.getByTestId('report-card-patched').textContent();
  await row.first().getByTestId('patch-delete').click();
  await expect(row).toHaveCount(0);
  await page.getByTestId('patch-import-input').setInputFiles(file);
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await row.first().getByTestId('report-card').locator('summary').click();
  await expect(
    row.first().getByTestId('report-card-toxicity.expectedMax').getByTestId('report-card-patched'),
  ).toHaveText(shownCard ?? '');
  expect(errors).toEqual([]);
});
