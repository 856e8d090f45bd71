import { expect, test } from '@playwright/test';
import { collectPageErrors } from './console-guard';

const ADVBENCH = '../shared/data/safety/advbench/harmful_behaviors.csv';

test('importing AdvBench through the file input shows its 520 prompts, and they survive a reload', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await page.getByTestId('data-file-input').setInputFiles(ADVBENCH);
  await expect(page.getByTestId('import-count')).toHaveText('Imported 520 prompts.');
  const row = page.locator('[data-testid="set-row"][data-set-name="harmful_behaviors"]');
  await expect(row.getByTestId('set-count')).toContainText('520 prompts');
  await expect(row.getByRole('checkbox')).toBeChecked();

  await page.reload();
  await expect(row.getByTestId('set-count')).toContainText('520 prompts');
  await row.getByRole('button', { name: 'Remove harmful_behaviors' }).click();
  await expect(row).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a file with a broken line imports the rest and lists the line; the others still import', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await page.getByTestId('data-file-input').setInputFiles([
    {
      name: 'broken.jsonl',
      mimeType: 'application/jsonl',
      buffer: Buffer.from('{"text":"one"}\n{"text":"two"}\n{"text": oops}\n'),
    },
    {
      name: 'fine.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('first prompt\nsecond prompt\n'),
    },
  ]);
  // One bad line costs that line: the preview says so, the import keeps the rest and lists it.
  const broken = page.getByTestId('import-job').filter({ hasText: 'broken.jsonl' });
  await expect(broken.getByTestId('import-warnings')).toContainText('line 3');
  await broken.getByTestId('import-apply').click();
  await expect(broken.getByTestId('import-count')).toHaveText(
    'Imported 2 prompts; 1 bad line left out.',
  );
  await broken.getByTestId('import-skipped').locator('summary').click();
  await expect(broken.getByTestId('import-skipped')).toContainText('line 3:');
  const fine = page.getByTestId('import-job').filter({ hasText: 'fine.txt' });
  // A plain list is generic: choose the column, then import.
  await fine.getByTestId('import-apply').click();
  await expect(fine.getByTestId('import-count')).toHaveText('Imported 2 prompts.');
  expect(errors).toEqual([]);
});
