import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { decodePatchFile, encodePatchFile } from '../src/patch/file';
import { generateSigningKeyPair } from '../src/patch/signing';
import { collectPageErrors } from './console-guard';
import { asUpload, patchFor, serveFixtureAsDemoModels, waitForBase } from './fixture-models';

// Issue 14, signing, through the Patches panel: each Download button says
// what its file will carry and the file does; a signed copy has its own
// name; the row shows the signed state after a signed export; re-importing
// a known file shows its verification result; a modified copy's name says so.

test('downloads say what they carry and do it; signed export, re-import and modified copies are told apart', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await serveFixtureAsDemoModels(page);
  await page.goto('/');
  const base = await waitForBase(page);

  const alice = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
  const plain = await encodePatchFile(await patchFor(base, 'kind words', 1));
  const signed = await encodePatchFile(await patchFor(base, 'no insults', 2), { signer: alice });
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([
      asUpload('kind-words.patch.safetensors', plain),
      asUpload('no-insults.patch.safetensors', signed),
    ]);
  const row = (name: string) => page.locator(`[data-testid="patch-row"][data-name="${name}"]`);
  await expect(page.getByTestId('patch-row')).toHaveCount(2);

  // Unticked: the copy as stored. Alice's signature still holds, so it is kept.
  await expect(row('kind words').getByTestId('patch-download')).toHaveText('Download unsigned');
  await expect(row('no insults').getByTestId('patch-download')).toHaveText(
    'Download (keeps signature)',
  );
  const kept = await download(page, row('no insults'));
  expect(kept.name).toBe('no-insults.signed.patch.safetensors');
  expect(kept.verification.state).toBe('signed-unknown');
  expect(kept.verification.keyFingerprint).toBe(alice.fingerprint);
  await expect(page.getByTestId('patches-status')).toHaveText(
    'Downloaded no-insults.signed.patch.safetensors (with the signature it carries).',
  );
  const unsigned = await download(page, row('kind words'));
  expect(unsigned.name).toBe('kind-words.patch.safetensors');
  expect(unsigned.verification.state).toBe('unsigned');

  // Renamed, Alice's signature no longer covers the name: the download says it is unsigned and is.
  await row('no insults').getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('New name').fill('gentle');
  await page.getByLabel('New name').press('Enter');
  await expect(row('gentle').getByTestId('patch-download')).toHaveText('Download unsigned');
  await expect(row('gentle').getByTestId('patch-download')).toHaveAttribute(
    'title',
    /^Renamed since it was signed \(the signature covers “no insults”\)/,
  );
  const renamed = await download(page, row('gentle'));
  expect(renamed.name).toBe('gentle.patch.safetensors');
  expect(renamed.verification.state).toBe('unsigned');

  // Ticked: signed with the user's key, under its own name; the row then reads signed.
  await page.getByLabel('Sign exports with my key').check();
  await expect(row('kind words').getByTestId('patch-download')).toHaveText('Download signed');
  await expect(row('kind words').getByTestId('verification')).toHaveAttribute(
    'data-state',
    'unsigned',
  );
  const mine = await download(page, row('kind words'));
  expect(mine.name).toBe('kind-words.signed.patch.safetensors');
  expect(mine.verification.state).toBe('signed-unknown');
  await expect(row('kind words').getByTestId('verification')).toHaveAttribute(
    'data-state',
    'signed-trusted',
  );
  // Unticked again, the row's own signature is what a plain download carries.
  await page.getByLabel('Sign exports with my key').uncheck();
  await expect(row('kind words').getByTestId('patch-download')).toHaveText(
    'Download (keeps signature)',
  );

  // Re-importing the signed file: already there, and its check is shown.
  await page.getByTestId('patch-import-input').setInputFiles(mine.path);
  await expect(
    page.getByTestId('import-result').filter({ hasText: 'kind-words.signed' }),
  ).toContainText(
    `Already in the library as "kind words"; signature valid, by key ${mine.verification.keyFingerprint?.slice(0, 16)}… (trusted). Nothing imported.`,
  );

  // A modified copy of Alice's file: refused, then taken on request under a name that says so.
  const tampered = Uint8Array.from(signed);
  tampered[tampered.length - 1] ^= 0x40;
  await page
    .getByTestId('patch-import-input')
    .setInputFiles([asUpload('tampered.patch.safetensors', tampered)]);
  const refusal = page.locator('[data-testid="import-result"][data-ok="false"]');
  await refusal.getByRole('button', { name: 'Import anyway, marked as modified' }).click();
  await expect(row('no insults (modified copy)').getByTestId('verification')).toHaveAttribute(
    'data-state',
    'invalid',
  );
  await expect(row('no insults (modified copy)').getByTestId('patch-download')).toHaveText(
    'Download unsigned',
  );
  expect(errors).toEqual([]);
});

/** Clicks a row's Download and reads the file it saved: its name and signature check. */
async function download(page: Page, row: ReturnType<Page['locator']>) {
  const downloading = page.waitForEvent('download');
  await row.getByTestId('patch-download').click();
  const d = await downloading;
  const path = test.info().outputPath(d.suggestedFilename());
  await d.saveAs(path);
  const decoded = await decodePatchFile(new Uint8Array(readFileSync(path)), {
    fileName: d.suggestedFilename(),
  });
  return { name: d.suggestedFilename(), path, verification: decoded.verification };
}
