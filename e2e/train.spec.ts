import { expect, type Page, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';
import { demoModelsLoaded, demoPromptSet } from './demo-pair';

// Uses the embedded demo pair (public/models/demo-base, demo-safe: a 4-layer
// Llama, hidden 128), which the lab loads on open. Collecting goes through
// the worker command with a handful of prompts, so the 2-core wasm run stays
// short; everything after that is driven through the Train panel.

const SETS = [
  demoPromptSet('demo-toxicity-train.json', 3),
  demoPromptSet('demo-bias-train.json', 3),
];

const points = async (page: Page, chart: 'sft' | 'dpo') =>
  Number(await page.getByTestId(`chart-${chart}`).getAttribute('data-points'));

test('collect, train SFT+DPO with pause and step-once, and resume after a reload', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  await demoModelsLoaded(page);

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
        batchSize: 6,
        seed: 1,
      },
    });
  }, SETS);
  await expect(page.getByTestId('collected-count')).toHaveText('6');
  await page.getByText(/View pairs/).click();
  await expect(page.getByTestId('collected-table').locator('tbody tr')).toHaveCount(6);

  // A shortened recipe through the form.
  await page
    .getByTestId('recipe-form')
    .evaluate((el) => (el.closest('details') as HTMLDetailsElement).setAttribute('open', ''));
  const fields: [string, string][] = [
    ['nVirtualTokens', '4'],
    // Enough SFT updates that Pause lands mid-run even when each one is fast:
    // on a loaded CI machine 42 updates ran between the first point and the
    // click, and with 40 the step after the pause was the run's last.
    // Locally 13–48 ran; the extra updates add ~10 s to the resume.
    ['sftSteps', '200'],
    ['dpoSteps', '4'],
    ['batchSize', '2'],
    ['warmupSteps', '1'],
    ['checkpointEvery', '2'],
    ['evalEvery', '0'],
  ];
  for (const [k, v] of fields) await page.getByTestId(`recipe-${k}`).fill(v);
  await expect(page.getByTestId('recipe-error')).toHaveCount(0);

  await expect(page.getByTestId('train-start')).toBeEnabled();
  await page.getByTestId('train-start').click();
  await expect
    .poll(() => points(page, 'sft'), { timeout: 120_000, intervals: [50] })
    .toBeGreaterThanOrEqual(1);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-status')).toContainText('paused');
  await expect(page.getByTestId('train-resume')).toBeEnabled();
  await expect(page.getByTestId('train-pause')).toBeDisabled();
  const pausedAt = (await points(page, 'sft')) + (await points(page, 'dpo'));
  await page.getByTestId('train-step-once').click();
  await expect
    .poll(async () => (await points(page, 'sft')) + (await points(page, 'dpo')))
    .toBe(pausedAt + 1);
  await expect(page.getByTestId('train-status')).toContainText('paused');
  await expect(page.getByTestId('train-checkpoint')).toHaveText(`step ${pausedAt + 1}`);

  // A reload mid-run: the checkpoint taken on pause is offered.
  await page.reload();
  await expect(page.getByTestId('resume-run')).toHaveText(`Resume run from step ${pausedAt + 1}`);
  await demoModelsLoaded(page);
  await page.getByTestId('resume-run').click();
  await expect(page.getByTestId('train-status')).toContainText('done', { timeout: 180_000 });
  expect(await points(page, 'sft')).toBe(200);
  expect(await points(page, 'dpo')).toBe(4);
  await expect(page.getByTestId('train-saved')).toContainText('safety patch');
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
  expect(errors).toEqual([]);
});
