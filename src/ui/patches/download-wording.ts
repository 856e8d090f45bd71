import type { PatchSummary } from '../../protocol/messages';

// What a patch's Download button does, in its own words, for the choice the
// library head offers ("Sign exports with my key"). The worker decides
// (PatchLibrary.exportable); this says the same rule before the click:
// signed with the user's key when ticked; otherwise the copy as stored,
// keeping a signature that still holds and carrying none once it is stale.

export interface DownloadWording {
  /** The button's text. */
  label: string;
  /** One sentence on what the file will carry (the button's tooltip). */
  detail: string;
}

type Row = Pick<PatchSummary, 'name' | 'manifest' | 'verification' | 'plainDownloadSigned'>;

export function downloadWording(patch: Row, signWithMyKey: boolean): DownloadWording {
  if (signWithMyKey)
    return {
      label: 'Download signed',
      detail:
        'Signs the file with your key (its name ends .signed.patch.safetensors); a signature the copy carried is replaced.',
    };
  if (patch.plainDownloadSigned)
    return {
      label: 'Download (keeps signature)',
      detail: `The file keeps the signature this copy carries${keyOf(patch)} (its name ends .signed.patch.safetensors); tick “Sign exports with my key” to sign it with yours instead.`,
    };
  const v = patch.verification.state;
  const why =
    v === 'invalid'
      ? 'It was imported as a modified copy, so its signature was dropped.'
      : v === 'signed-trusted' || v === 'signed-unknown'
        ? `Renamed since it was signed (the signature covers “${patch.manifest.name}”), so the file carries none.`
        : 'It is not signed.';
  return {
    label: 'Download unsigned',
    detail: `${why} Tick “Sign exports with my key” to sign the file.`,
  };
}

const keyOf = (patch: Row) =>
  patch.verification.keyFingerprint
    ? `, by key ${patch.verification.keyFingerprint.slice(0, 16)}…`
    : '';
