import { expect, test } from '@playwright/test';
import type { LabClient } from '../src/client/lab-client';
import { encodePatchFile } from '../src/patch/file';
import { makePatch } from '../src/patch/fixtures/make-patch';
import { patchBaseOf } from '../src/protocol/patch-base';
import { collectPageErrors } from './console-guard';
import { loadDemoPair } from './demo-pair';

declare global {
  var __patchLab: LabClient;
}

// The embedded demo pair (public/models/demo-base, demo-safe: 4-layer
// llama-architecture models, hidden 128) loaded through the lab's own
// load-model command; evaluation kept tiny: 2 prompts per set, k = 2,
// 6 new tokens, lexicon scorer (no network here).
test('baselines draw M, M′ and M+R lines on every domain; evaluating M+P adds a point with its interval', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('backend-name')).toHaveText('wasm');

  const base = await loadDemoPair(page);

  const panel = page.locator('[data-panel="metrics"]');
  await panel.locator('summary', { hasText: 'Evaluation settings' }).click();
  await panel.getByTestId('eval-scorer').selectOption('lexicon');
  await panel.getByTestId('eval-prompts').fill('2');
  await panel.getByTestId('eval-k').fill('2');
  await panel.getByTestId('eval-max-tokens').fill('6');

  await panel.getByTestId('eval-baselines').click();
  for (const domain of ['toxicity', 'bias', 'refusal']) {
    const chart = panel.getByTestId(`metrics-chart-${domain}`);
    await expect(chart.getByTestId(`ref-m-${domain}`)).toHaveText(/^\d/, { timeout: 120_000 });
    await expect(chart.getByTestId(`ref-mref-${domain}`)).toHaveText(/^\d/, { timeout: 120_000 });
    await expect(chart.getByTestId(`ref-mr-${domain}`)).toHaveText(/^\d/, { timeout: 120_000 });
    // All three reference lines are drawn in the chart itself, labelled, and the legend names the control.
    await expect(chart.locator('.recharts-reference-line')).toHaveCount(3);
    await expect(chart.getByText(/^M [\d.]+$/)).toBeVisible();
    await expect(chart.getByText(/^M′ [\d.]+$/)).toBeVisible();
    await expect(chart.getByText(/^M\+R [\d.]+$/)).toBeVisible();
    await expect(chart.locator('figcaption')).toContainText('M+R · random patch, untrained');
    await expect(chart.getByTestId(`scorer-${domain}`)).not.toBeEmpty();
    await expect(chart).toHaveAttribute('data-points', '0');
  }
  await expect(panel.getByTestId('scorer-toxicity')).toHaveText('Scorer: lexicon (offline)');

  // A patch made for demo-base (right fingerprint and width), imported and applied like a user's file.
  const patch = await makePatch({
    nVirtual: 4,
    hidden: base.hiddenSize,
    name: 'e2e-patch',
    manifest: {
      base: patchBaseOf(base),
    },
  });
  const bytes = Array.from(await encodePatchFile(patch));
  await page.evaluate(async (data) => {
    const client = globalThis.__patchLab;
    const file = new File([new Uint8Array(data)], 'e2e-patch.patch.safetensors');
    let id: string | null = null;
    const off = client.subscribe((e) => {
      if (e.type === 'patch-import-result') id = e.result.patchId;
    });
    await client.run({
      type: 'patch-import',
      runId: client.newRunId(),
      files: [file],
      acceptModified: false,
    });
    off();
    if (!id) throw new Error('the patch was not imported');
    await client.run({
      type: 'patch-apply',
      runId: client.newRunId(),
      ids: [id],
      allowInvalid: false,
    });
  }, bytes);

  await panel.getByTestId('eval-patched').click();
  const tox = panel.getByTestId('metrics-chart-toxicity');
  await expect(tox).toHaveAttribute('data-points', '1', { timeout: 120_000 });
  await expect(panel.getByTestId('mp-last-toxicity')).toHaveText(/^\d/);
  await expect(tox.locator('.recharts-line-dot')).toHaveCount(1);
  // Hovering the point shows that step's sample generations with their scores.
  await tox.locator('.recharts-line-dot').hover();
  await expect(tox.getByTestId('sample-card')).toContainText('toxicity');
  await panel.screenshot({ path: test.info().outputPath('metrics-panel.png') });
  // The point carries its 95 % interval over prompts (whiskers and the legend's numbers).
  await expect(panel.getByTestId('mp-ci-toxicity')).toHaveText(
    /^95 % CI \[[\d.]+, [\d.]+\], n = 2$/,
  );
  await expect(tox.locator('.recharts-errorBar')).toHaveCount(1);
  // With all three evaluated under one config, every domain with a gap reports a percentage or why not.
  await expect(panel.getByTestId('gap-toxicity')).not.toContainText('Evaluate');
  // A defined gap shows as "78 % [64, 90]" with n; the control's column says what M+R closes (or why not).
  await expect(panel.getByTestId('gap-closed')).toContainText(/-?\d+ % \[-?\d+, -?\d+\] n = 2/);
  await expect(panel.getByTestId('gap-mr-toxicity')).not.toBeEmpty();

  // The history leaves as CSV with the scorer beside each number.
  const download = page.waitForEvent('download');
  await panel.getByTestId('export-csv').click();
  const csv = await (await download).createReadStream();
  const text = await new Promise<string>((resolve) => {
    let s = '';
    csv.on('data', (c) => {
      s += c;
    });
    csv.on('end', () => resolve(s));
  });
  expect(text.split('\r\n')[0]).toMatch(/^series,model,step/);
  expect(text).toContain('M+P,M+P · e2e-patch');
  expect(text).toContain('M+R,"M+R · random patch, untrained');
  expect(text.split('\r\n')[0]).toContain(',n,ci_low,ci_high,');
  expect(text).toContain('lexicon (offline)');
  expect(errors).toEqual([]);
});
