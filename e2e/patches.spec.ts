import { expect, test } from '@playwright/test';
import { encodePatchFile } from '../src/patch/file';
import { generateSigningKeyPair } from '../src/patch/signing';
import { collectPageErrors } from './console-guard';
import { asUpload, patchFor, serveFixtureAsDemoModels, waitForBase } from './fixture-models';

test('imported patch files are listed with their signature state, survive a reload, and a corrupt file is refused in plain words', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await serveFixtureAsDemoModels(page);
  await page.goto('/');
  const base = await waitForBase(page);

  const key = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
  const plain = await encodePatchFile(await patchFor(base, 'kind words', 1));
  const signed = await encodePatchFile(await patchFor(base, 'no insults', 2), { signer: key });
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([
      asUpload('kind-words.patch.safetensors', plain),
      asUpload('no-insults.patch.safetensors', signed),
    ]);

  const list = page.getByTestId('patch-list');
  const rows = list.getByTestId('patch-row');
  await expect(rows).toHaveCount(2);
  const kind = page.locator('[data-testid="patch-row"][data-name="kind words"]');
  const noInsults = page.locator('[data-testid="patch-row"][data-name="no insults"]');
  await expect(kind.getByTestId('verification')).toHaveAttribute('data-state', 'unsigned');
  await expect(noInsults.getByTestId('verification')).toHaveAttribute(
    'data-state',
    'signed-unknown',
  );
  await expect(kind.getByTestId('patch-fit')).toContainText('Fits');
  await expect(page.getByTestId('import-result')).toHaveCount(2);

  await page.reload();
  await waitForBase(page);
  await expect(rows).toHaveCount(2);
  await expect(list.getByTestId('patch-name')).toHaveText(['kind words', 'no insults']);

  // A download cut short: refused with the file's own name and what went wrong; nothing else lost.
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([asUpload('cut.patch.safetensors', plain.slice(0, 60))]);
  const refused = page.locator('[data-testid="import-result"][data-ok="false"]');
  await expect(refused).toContainText('cut.patch.safetensors');
  await expect(refused).toContainText('is truncated');
  await expect(rows).toHaveCount(2);

  // Delete with undo: the patch leaves the list and comes back unchanged.
  await noInsults.getByTestId('patch-delete').click();
  await expect(rows).toHaveCount(1);
  await page.getByTestId('patch-undo').getByRole('button', { name: 'Undo' }).click();
  await expect(rows).toHaveCount(2);
  await expect(noInsults.getByTestId('verification')).toHaveAttribute(
    'data-state',
    'signed-unknown',
  );

  // Apply one, as the playground and metrics will use it.
  await kind.getByTestId('patch-apply').click();
  await expect(page.getByTestId('applied-stack')).toContainText('kind words');
  expect(errors).toEqual([]);
});
