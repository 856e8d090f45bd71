// The patch file, NAME.patch.safetensors: one F32 tensor "prompt_embeddings"
// [n_virtual, hidden] and the manifest as JSON in __metadata__. Decoding is
// the trust boundary: the bytes come from anywhere, so every rejection is a
// PatchFileError with a code and a message fit to show the user, and no other
// exception type escapes for malformed input.

import {
  parseSafetensorsHeader,
  readTensorFloat32,
  SafetensorsError,
  type SafetensorsHeader,
  writeSafetensors,
} from '../engine/safetensors';
import { checkBase } from './base';
import { PatchFileError, type PatchFileErrorCode } from './errors';
import { sha256Hex, tensorSha256 } from './hash';
import { validateManifest } from './manifest';
import {
  extractManifest,
  METADATA_FORMAT_KEY,
  METADATA_FORMAT_VALUE,
  METADATA_MANIFEST_KEY,
  migrateManifest,
} from './migrations';
import { type SigningKeyPair, signManifest, verifyManifestSignature } from './signing';
import {
  CURRENT_FORMAT_VERSION,
  type ExpectedBase,
  PATCH_TENSOR_NAME,
  type Patch,
  type PatchManifest,
  type SignatureVerification,
} from './types';

/** A patch's header is a few kB; anything near this is hostile or not a patch. */
export const MAX_PATCH_HEADER_BYTES = 10 * 1024 * 1024;

export const PATCH_FILE_SUFFIX = '.patch.safetensors';

/** "My patch: v2" → "My-patch-v2.patch.safetensors" (safe on every file system). */
export function patchFileName(name: string): string {
  const stem = name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 120);
  return `${stem || 'patch'}${PATCH_FILE_SUFFIX}`;
}

export interface EncodeOptions {
  /** Sign with this key; without it an existing signature is kept as-is. */
  signer?: SigningKeyPair;
}

export async function encodePatchFile(patch: Patch, opts: EncodeOptions = {}): Promise<Uint8Array> {
  const { embeddings, nVirtual, hidden } = patch;
  if (
    !Number.isSafeInteger(nVirtual) ||
    nVirtual < 1 ||
    !Number.isSafeInteger(hidden) ||
    hidden < 1
  ) {
    throw new Error(`encodePatchFile: bad patch shape [${nVirtual}, ${hidden}]`);
  }
  if (embeddings.length !== nVirtual * hidden) {
    throw new Error(
      `encodePatchFile: ${embeddings.length} values do not fill a [${nVirtual}, ${hidden}] patch`,
    );
  }
  const bad = embeddings.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(
      `encodePatchFile: value at row ${Math.floor(bad / hidden)}, column ${bad % hidden} is ${embeddings[bad]}`,
    );
  }
  if (patch.manifest.base.hiddenSize !== hidden) {
    throw new Error(
      `encodePatchFile: tensor width ${hidden} differs from the manifest's base hidden size ${patch.manifest.base.hiddenSize}`,
    );
  }
  const hash = await tensorSha256(embeddings);
  const { signature: carried, ...unsigned } = patch.manifest;
  if (carried && !opts.signer && patch.manifest.tensorSha256 !== hash) {
    // Writing the old signature next to new values would make a file every reader refuses.
    throw new Error(
      'encodePatchFile: the embeddings changed since the patch was signed; sign it again (pass a signer)',
    );
  }
  const manifest: PatchManifest = validateManifest({
    ...unsigned,
    formatVersion: CURRENT_FORMAT_VERSION,
    tensorSha256: hash,
  });
  if (opts.signer) manifest.signature = await signManifest(manifest, opts.signer);
  else if (carried) manifest.signature = carried;
  return writeSafetensors(
    [{ name: PATCH_TENSOR_NAME, shape: [nVirtual, hidden], data: embeddings }],
    {
      [METADATA_FORMAT_KEY]: METADATA_FORMAT_VALUE,
      [METADATA_MANIFEST_KEY]: JSON.stringify(manifest),
    },
  );
}

export interface DecodeOptions {
  /** Shown in messages. */
  fileName: string;
  /** The loaded base model; when given, a patch for another base is refused. */
  expectedBase?: ExpectedBase;
  /** Thumbprints of keys the user trusts. */
  trustedKeyFingerprints?: Iterable<string>;
  /**
   * The user's explicit override: load a file whose content hash or signature
   * does not match (verification.state is then 'invalid'). Never set by default.
   */
  acceptModified?: boolean;
}

export interface DecodedPatch {
  patch: Patch;
  verification: SignatureVerification;
  /** Migration notes and warnings, plain text, for the UI to show. */
  notes: string[];
}

const FROM_SAFETENSORS: Record<SafetensorsError['code'], PatchFileErrorCode> = {
  TRUNCATED: 'TRUNCATED',
  HEADER_BEYOND_FILE: 'HEADER_BEYOND_FILE',
  HEADER_TOO_LARGE: 'HEADER_TOO_LARGE',
  INVALID_JSON: 'INVALID_JSON',
  BAD_ENTRY: 'NOT_SAFETENSORS',
  UNSUPPORTED_DTYPE: 'WRONG_DTYPE',
  DATA_OUT_OF_RANGE: 'TRUNCATED',
  DATA_NOT_CONTIGUOUS: 'NOT_SAFETENSORS',
  NON_FINITE: 'NON_FINITE',
};

/** The safetensors header of an untrusted file, every failure as a PatchFileError. */
export function readPatchHeader(bytes: Uint8Array, fileName: string): SafetensorsHeader {
  const name = `"${fileName}"`;
  if (bytes.byteLength === 0) {
    throw new PatchFileError('NOT_SAFETENSORS', `${name} is empty, not a patch file.`);
  }
  if (bytes.byteLength < 8) {
    throw new PatchFileError('TRUNCATED', `${name} is truncated: only ${bytes.byteLength} bytes.`);
  }
  // A safetensors header is a JSON object, so byte 8 is "{". Anything else (a
  // PNG, a zip, a text file) is simply another kind of file, whatever its first
  // 8 bytes happen to say as a length.
  if (bytes.byteLength > 8 && bytes[8] !== 0x7b) {
    throw new PatchFileError(
      'NOT_SAFETENSORS',
      `${name} is not a safetensors file (a patch file is NAME${PATCH_FILE_SUFFIX}).`,
    );
  }
  try {
    return parseSafetensorsHeader(bytes, { fileName, maxHeaderBytes: MAX_PATCH_HEADER_BYTES });
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    const code = FROM_SAFETENSORS[e.code];
    const lead: Partial<Record<PatchFileErrorCode, string>> = {
      TRUNCATED: `${name} is truncated or damaged (was the download cut short?)`,
      HEADER_BEYOND_FILE: `${name} is truncated: its header says it is longer than the file`,
      HEADER_TOO_LARGE: `${name} declares a header over ${MAX_PATCH_HEADER_BYTES / 1024 / 1024} MB; a patch header is a few kilobytes`,
      INVALID_JSON: `${name} has a damaged header (not valid JSON)`,
      NOT_SAFETENSORS: `${name} is not a valid safetensors file`,
      WRONG_DTYPE: `${name} uses a number type this app does not know`,
    };
    throw new PatchFileError(code, `${lead[code] ?? `${name} is damaged`}. (${e.message})`);
  }
}

export async function decodePatchFile(
  bytes: Uint8Array,
  opts: DecodeOptions,
): Promise<DecodedPatch> {
  const name = `"${opts.fileName}"`;
  const header = readPatchHeader(bytes, opts.fileName);

  // The version is read before anything else so a file from a newer app gets
  // "update the app", not a confusing complaint about its contents.
  const stored = extractManifest(header.metadata);
  if (stored.version > CURRENT_FORMAT_VERSION) migrateManifest(stored, { tensorSha256: '' });

  const entry = header.tensors.get(PATCH_TENSOR_NAME);
  if (!entry) {
    throw new PatchFileError(
      'MISSING_TENSOR',
      `${name} has no "${PATCH_TENSOR_NAME}" tensor, so it holds no patch.`,
    );
  }
  const extra = [...header.tensors.keys()].filter((k) => k !== PATCH_TENSOR_NAME);
  if (extra.length > 0) {
    throw new PatchFileError(
      'EXTRA_TENSOR',
      `${name} holds tensors a patch does not have: ${extra
        .slice(0, 5)
        .map((k) => `"${k}"`)
        .join(', ')}${extra.length > 5 ? ', …' : ''}.`,
    );
  }
  if (entry.dtype !== 'F32') {
    throw new PatchFileError(
      'WRONG_DTYPE',
      `${name} stores the patch as ${entry.dtype}; patch files store float32 (F32).`,
    );
  }
  if (entry.shape.length !== 2 || entry.shape[0] < 1 || entry.shape[1] < 1) {
    throw new PatchFileError(
      'BAD_SHAPE',
      `${name}: the patch tensor has shape [${entry.shape.join(', ')}]; it must be [n_virtual, hidden] with both at least 1.`,
    );
  }
  const [nVirtual, hidden] = entry.shape;
  const computedHash = await sha256Hex(bytes.subarray(entry.begin, entry.end));
  const embeddings = readTensorFloat32(bytes, entry, PATCH_TENSOR_NAME);
  const bad = embeddings.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new PatchFileError(
      'NON_FINITE',
      `${name} contains ${embeddings[bad]} at row ${Math.floor(bad / hidden)}, column ${bad % hidden}; a usable patch has only finite numbers.`,
    );
  }

  const migrated = migrateManifest(stored, { tensorSha256: computedHash });
  const manifest = validateManifest(migrated.manifest);
  const notes = [...migrated.notes];

  if (manifest.base.hiddenSize !== hidden) {
    throw new PatchFileError(
      'BAD_SHAPE',
      `${name}: the patch vectors have width ${hidden} but the manifest says the base's hidden size is ${manifest.base.hiddenSize}.`,
    );
  }
  if (manifest.parents.length > 0) {
    const rows = manifest.parents.reduce((a, p) => a + p.nVirtual, 0);
    if (rows !== nVirtual) {
      throw new PatchFileError(
        'MANIFEST_INVALID',
        `The patch manifest is invalid: its parents add up to ${rows} vectors but the patch has ${nVirtual}.`,
      );
    }
  }

  let verification: SignatureVerification;
  if (manifest.tensorSha256 !== computedHash) {
    const message = `${name} was modified: its contents no longer match the hash in its manifest.`;
    if (!opts.acceptModified) throw new PatchFileError('CONTENT_MODIFIED', message);
    verification = { state: 'invalid', message };
  } else if (stored.version >= 1) {
    verification = await verifyManifestSignature(
      stored.raw as Record<string, unknown>,
      computedHash,
      { trustedKeyFingerprints: opts.trustedKeyFingerprints },
    );
    if (verification.state === 'invalid' && !opts.acceptModified) {
      throw new PatchFileError('SIGNATURE_INVALID', `${name}: ${verification.message}`);
    }
  } else {
    verification = {
      state: 'unsigned',
      message: 'This patch is not signed: its author cannot be checked.',
    };
  }

  if (opts.expectedBase) {
    const check = checkBase(manifest.base, opts.expectedBase);
    if (!check.ok) {
      throw new PatchFileError(
        check.reason === 'hidden-size' ? 'HIDDEN_SIZE_MISMATCH' : 'BASE_MISMATCH',
        check.message,
      );
    }
    notes.push(...check.warnings);
  }

  return { patch: { embeddings, nVirtual, hidden, manifest }, verification, notes };
}
