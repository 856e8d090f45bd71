import { describe, expect, it } from 'vitest';
import type { PatchSummary } from '../../protocol/messages';
import { downloadWording } from './download-wording';

const row = (over: Partial<PatchSummary>): Parameters<typeof downloadWording>[0] => ({
  name: 'kindness',
  manifest: { name: 'kindness' } as PatchSummary['manifest'],
  verification: { state: 'unsigned', message: '' },
  plainDownloadSigned: false,
  ...over,
});

describe('downloadWording', () => {
  it('says the file is signed with the user key when that is ticked, whatever the copy carries', () => {
    expect(downloadWording(row({ plainDownloadSigned: true }), true).label).toBe('Download signed');
    expect(downloadWording(row({}), true).label).toBe('Download signed');
  });

  it('says a plain download keeps a signature that still holds, naming the key', () => {
    const w = downloadWording(
      row({
        plainDownloadSigned: true,
        verification: { state: 'signed-unknown', message: '', keyFingerprint: 'ab'.repeat(32) },
      }),
      false,
    );
    expect(w.label).toBe('Download (keeps signature)');
    expect(w.detail).toContain('by key abababababababab…');
  });

  it('says a plain download is unsigned, and why, when there is no signature that holds', () => {
    expect(downloadWording(row({}), false)).toEqual({
      label: 'Download unsigned',
      detail: 'It is not signed. Tick “Sign exports with my key” to sign the file.',
    });
    const renamed = row({
      name: 'gentle',
      verification: { state: 'signed-trusted', message: '', keyFingerprint: 'cd'.repeat(32) },
    });
    expect(downloadWording(renamed, false).detail).toMatch(
      /^Renamed since it was signed \(the signature covers “kindness”\)/,
    );
    const modified = row({ verification: { state: 'invalid', message: 'x' } });
    expect(downloadWording(modified, false).detail).toMatch(/^It was imported as a modified copy/);
  });
});
