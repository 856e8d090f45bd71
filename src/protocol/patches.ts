// Patch messages: the library, files, signing, composition, PEFT.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { PatchManifest, SignatureVerification } from '../patch/types';
import type { WithRunId } from './base';

/** How a patch came into the library. */
export type PatchOrigin = 'trained' | 'imported' | 'composed';

/** One library entry as the UI sees it: the manifest and checks, never the vectors. */
export interface PatchSummary {
  id: string;
  /** The user's label (renaming never touches the possibly signed manifest). */
  name: string;
  origin: PatchOrigin;
  manifest: PatchManifest;
  nVirtual: number;
  hidden: number;
  /** Size of the patch file when downloaded unsigned. */
  sizeBytes: number;
  verification: SignatureVerification;
  /**
   * Whether a download without "Sign exports with my key" keeps the
   * signature this copy carries (valid, and not renamed since it was
   * signed); otherwise that download is unsigned. docs/PATCH_FORMAT.md, "Downloads".
   */
  plainDownloadSigned: boolean;
  /** Migration notes and warnings from import, plain text. */
  notes: string[];
  /** Fit with the base model loaded now; null when no base is loaded. */
  fit: { ok: boolean; message: string } | null;
  savedAt: number;
}

export interface ImportFileResult {
  /** The file (or folder) name the user picked. */
  fileName: string;
  ok: boolean;
  /** One sentence for the user: what was imported, or why not and what to do. */
  message: string;
  /** PatchFileError code on refusal (e.g. CONTENT_MODIFIED), so the UI can offer an override. */
  code: string | null;
  patchId: string | null;
  notes: string[];
}

export interface SigningKeyInfo {
  algorithm: string;
  /** Full RFC 7638 thumbprint; show formatKeyFingerprint-style groups. */
  fingerprint: string;
  createdAt: number | null;
}

export interface TrustedKeyInfo {
  fingerprint: string;
  label: string;
  algorithm: string;
  addedAt: number;
}

export type PatchCommand =
  /** Re-read the library (and keys) and post them; the UI asks on start and when M changes. */
  | WithRunId<{ type: 'patches-refresh' }>
  | WithRunId<{ type: 'patch-rename'; id: string; name: string }>
  /** Soft delete: the patch leaves the list and can be restored. */
  | WithRunId<{ type: 'patch-delete'; id: string }>
  | WithRunId<{ type: 'patch-restore'; id: string }>
  /**
   * Posts patch-file: NAME.signed.patch.safetensors signed with the user's key
   * when sign; else the copy as stored, keeping a signature that still holds
   * (NAME.signed…) or none (NAME.patch.safetensors).
   */
  | WithRunId<{ type: 'patch-download'; id: string; sign: boolean }>
  /** Posts patch-file with a PEFT prompt-tuning adapter zip. */
  | WithRunId<{ type: 'patch-export-peft'; id: string; sign: boolean }>
  /**
   * Several files at once: patch files, PEFT zips, or the files of PEFT adapter
   * folders (adapter_config.json + adapter_model.safetensors, grouped by folder).
   * acceptModified imports files whose hash or signature does not match, marked invalid.
   */
  | WithRunId<{ type: 'patch-import'; files: File[]; acceptModified: boolean }>
  /** Stacks patches in this order into a new library patch. */
  | WithRunId<{ type: 'patch-compose'; ids: string[]; name: string }>
  /** The patch stack M+P uses, in order; [] = none. allowInvalid overrides a failed signature. */
  | WithRunId<{ type: 'patch-apply'; ids: string[]; allowInvalid: boolean }>
  /** Makes (or replaces) the user's signing key. */
  | WithRunId<{ type: 'key-generate' }>
  /** Posts patch-file with the user's public key file. */
  | WithRunId<{ type: 'key-export-public'; label: string }>
  /** Trusts the key in a public key file's text. */
  | WithRunId<{ type: 'key-trust'; text: string; label: string | null }>
  | WithRunId<{ type: 'key-untrust'; fingerprint: string }>;

export type PatchEvent =
  /** The library as it is now; posted after every change, also outside runs (a trained patch saved). */
  | { type: 'patch-library'; patches: PatchSummary[]; activePatchIds: string[] }
  /** Bytes for the UI to offer as a download. */
  | WithRunId<{ type: 'patch-file'; fileName: string; mime: string; bytes: Uint8Array }>
  | WithRunId<{ type: 'patch-import-result'; result: ImportFileResult }>
  /** A patch was soft-deleted; the UI offers undo. */
  | WithRunId<{ type: 'patch-deleted'; id: string; name: string }>
  | { type: 'signing-keys'; own: SigningKeyInfo | null; trusted: TrustedKeyInfo[] };
