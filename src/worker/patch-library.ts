// The user's patch library as the worker runs it: the patch store (vectors and
// manifests), the key store (own signing key, trusted keys) and a small record
// per patch of what this library knows about it (how it arrived, whether its
// signature verified, import notes, file size). It takes the loaded base model
// as an argument instead of reading the session, so it runs unchanged in Node
// tests over fake-indexeddb.

import type { DBSchema, IDBPDatabase } from 'idb';
import { baseName, dirName } from '../engine/file-path';
import type { ModelConfig } from '../engine/types';
import { checkBase, describeBase } from '../patch/base';
import { composePatches } from '../patch/compose';
import { PatchFileError } from '../patch/errors';
import {
  type DecodedPatch,
  decodePatchFile,
  encodePatchFile,
  PATCH_FILE_SUFFIX,
  patchFileName,
} from '../patch/file';
import { tensorSha256 } from '../patch/hash';
import { ignoredFilesNote, planPatchImport } from '../patch/import-plan';
import { KeyStore } from '../patch/key-store';
import { PatchStore, type StoredPatchSummary } from '../patch/patch-store';
import { exportPeftZip, importPeftAdapter } from '../patch/peft';
import {
  exportPublicKeyFile,
  formatKeyFingerprint,
  signManifest,
  verifyManifestSignature,
} from '../patch/signing';
import type { ExpectedBase, Patch, SignatureVerification } from '../patch/types';
import type {
  ImportFileResult,
  PatchOrigin,
  PatchSummary,
  SigningKeyInfo,
  TrustedKeyInfo,
} from '../protocol/messages';
import { openVersioned } from '../storage/idb';
import { compositionFor } from './composition-latest';

/**
 * What a signature check found, independent of trust: trust changes when the
 * user adds or removes keys, so signed-trusted / signed-unknown is decided at
 * list time from the key fingerprint.
 */
type SignatureFinding =
  | { kind: 'unsigned' }
  | { kind: 'valid'; keyFingerprint: string }
  | { kind: 'invalid'; message: string; keyFingerprint?: string };

interface PatchMeta {
  id: string;
  origin: PatchOrigin;
  signature: SignatureFinding;
  notes: string[];
  sizeBytes: number;
}

interface LibraryDb extends DBSchema {
  /**
   * Where metadata lived before it moved into the patch's own record (one
   * write, one database): read for entries saved by older builds, never written.
   */
  meta: { key: string; value: PatchMeta };
  settings: { key: string; value: string[] };
}

/** A file handed to import: its name (with folder path for folder picks) and bytes. */
export interface ImportInput {
  /** "my.patch.safetensors" or "adapter/adapter_config.json" (webkitRelativePath). */
  path: string;
  bytes: Uint8Array;
}

export interface ExportedFile {
  fileName: string;
  mime: string;
  bytes: Uint8Array;
}

const ACTIVE_KEY = 'active';
function findingOf(v: SignatureVerification): SignatureFinding {
  if (v.state === 'unsigned') return { kind: 'unsigned' };
  if (v.state === 'invalid') {
    return { kind: 'invalid', message: v.message, keyFingerprint: v.keyFingerprint };
  }
  return { kind: 'valid', keyFingerprint: v.keyFingerprint ?? '' };
}

/**
 * A download's file name: a file that carries a signature (the user's, or
 * one it arrived with and still holds) is "kindness.signed.patch.safetensors",
 * one without is "kindness.patch.safetensors", so both can sit in one folder
 * and the name says which is which.
 */
export function downloadName(name: string, signed: boolean, suffix: string): string {
  const stem = patchFileName(name).slice(0, -PATCH_FILE_SUFFIX.length);
  return `${stem}${signed ? '.signed' : ''}${suffix}`;
}

export class PatchLibrary {
  private constructor(
    readonly patches: PatchStore,
    readonly keys: KeyStore,
    private readonly db: IDBPDatabase<LibraryDb>,
  ) {}

  /** Opens (or creates) the three IndexedDB databases; names are overridable for tests. */
  static async open(
    names: { patches?: string; keys?: string; library?: string } = {},
    opts: { now?: () => number } = {},
  ): Promise<PatchLibrary> {
    const db = await openVersioned<LibraryDb>(names.library ?? 'patch-lab-library', [
      // v1
      (d) => {
        d.createObjectStore('meta', { keyPath: 'id' });
        d.createObjectStore('settings');
      },
    ]);
    return new PatchLibrary(
      await PatchStore.open(names.patches, opts),
      await KeyStore.open(names.keys),
      db,
    );
  }

  close(): void {
    this.patches.close();
    this.keys.close();
    this.db.close();
  }

  // ─── Listing ──────────────────────────────────────────────────────────────

  /** Fingerprints the user trusts; their own key counts as trusted. */
  private async trusted(): Promise<Set<string>> {
    const set = await this.keys.trustedFingerprints();
    const own = await this.keys.getOwnKey();
    if (own) set.add(own.fingerprint);
    return set;
  }

  private verificationOf(meta: PatchMeta | undefined, trusted: Set<string>): SignatureVerification {
    const s = meta?.signature ?? { kind: 'unsigned' };
    if (s.kind === 'unsigned') {
      return {
        state: 'unsigned',
        message: 'This patch is not signed: its author cannot be checked.',
      };
    }
    if (s.kind === 'invalid') {
      return { state: 'invalid', message: s.message, keyFingerprint: s.keyFingerprint };
    }
    const short = formatKeyFingerprint(s.keyFingerprint);
    return trusted.has(s.keyFingerprint)
      ? {
          state: 'signed-trusted',
          keyFingerprint: s.keyFingerprint,
          message: `Signed by a trusted key (${short}).`,
        }
      : {
          state: 'signed-unknown',
          keyFingerprint: s.keyFingerprint,
          message: `Signed by a key you have not marked as trusted (${short}).`,
        };
  }

  private summaryOf(
    r: StoredPatchSummary,
    meta: PatchMeta | undefined,
    trusted: Set<string>,
    base: ExpectedBase | null,
  ): PatchSummary {
    let fit: PatchSummary['fit'] = null;
    if (base) {
      const check = checkBase(r.manifest.base, base);
      fit = check.ok
        ? { ok: true, message: check.warnings.join(' ') || `Fits ${describeBase(base)}.` }
        : { ok: false, message: check.message };
    }
    return {
      id: r.id,
      name: r.name,
      origin: meta?.origin ?? 'imported',
      manifest: r.manifest,
      nVirtual: r.nVirtual,
      hidden: r.hidden,
      sizeBytes: meta?.sizeBytes ?? r.nVirtual * r.hidden * 4,
      verification: this.verificationOf(meta, trusted),
      // exportable()'s rule without the crypto: a valid signature over the
      // manifest as stored, and the name still the signed one.
      plainDownloadSigned:
        meta?.signature.kind === 'valid' &&
        r.manifest.signature !== undefined &&
        r.name === r.manifest.name,
      notes: meta?.notes ?? [],
      fit,
      savedAt: r.savedAt,
    };
  }

  async list(base: ExpectedBase | null): Promise<PatchSummary[]> {
    const [rows, legacy, trusted] = await Promise.all([
      this.patches.list(),
      this.db.getAll('meta'),
      this.trusted(),
    ]);
    const byId = new Map(legacy.map((m) => [m.id, m]));
    return rows.map((r) =>
      this.summaryOf(r, (r.meta as PatchMeta | undefined) ?? byId.get(r.id), trusted, base),
    );
  }

  async summary(id: string, base: ExpectedBase | null): Promise<PatchSummary> {
    const list = await this.list(base);
    const s = list.find((p) => p.id === id);
    if (!s) throw new Error('That patch is no longer in the library.');
    return s;
  }

  // ─── Saving, renaming, deleting ───────────────────────────────────────────

  /** Stores a patch with what is known about it; returns its id. */
  async save(
    patch: Patch,
    opts: {
      origin: PatchOrigin;
      verification?: SignatureVerification;
      notes?: string[];
      sizeBytes?: number;
    },
  ): Promise<string> {
    // The unsigned file is what a download without signing produces; its size is the honest one to show.
    const sizeBytes = opts.sizeBytes ?? (await encodePatchFile(unsignedCopy(patch))).byteLength;
    const id = globalThis.crypto.randomUUID();
    const meta: PatchMeta = {
      id,
      origin: opts.origin,
      signature: findingOf(opts.verification ?? { state: 'unsigned', message: '' }),
      notes: opts.notes ?? [],
      sizeBytes,
    };
    // Patch and metadata in one record: one write, so a failure cannot leave one without the other.
    await this.patches.put(patch, { id, meta });
    return id;
  }

  rename(id: string, name: string) {
    return this.patches.rename(id, name);
  }

  /** Soft delete (undo with restore); the patch also leaves the applied stack. */
  async delete(id: string): Promise<{ id: string; name: string }> {
    const r = await this.patches.delete(id);
    const active = await this.activeIds();
    if (active.includes(id))
      await this.db.put(
        'settings',
        active.filter((a) => a !== id),
        ACTIVE_KEY,
      );
    return { id: r.id, name: r.name };
  }

  async restore(id: string): Promise<void> {
    await this.patches.restore(id);
  }

  /** A stored patch by id, under the name the library shows. */
  async patch(id: string): Promise<Patch> {
    const r = await this.require(id);
    return { ...r.patch, manifest: { ...r.patch.manifest, name: r.name } };
  }

  private async require(id: string) {
    const r = await this.patches.get(id);
    if (!r) throw new Error('That patch is no longer in the library (was it deleted?).');
    return r;
  }

  // ─── Export ───────────────────────────────────────────────────────────────

  /**
   * The patch as export should write it. Signed with the user's key when
   * asked. Otherwise the library copy as it is: a signature it carries is
   * kept while it still verifies over exactly the manifest written (an
   * unmodified signed file, or the copy an earlier signed export signed),
   * and dropped once it is stale (renamed since, or a copy imported as
   * modified), so a download never carries a signature that fails.
   * docs/PATCH_FORMAT.md ("Downloads") says the same.
   */
  private async exportable(
    id: string,
    sign: boolean,
  ): Promise<{ patch: Patch; name: string; signed: boolean }> {
    const r = await this.require(id);
    const meta = await this.metaOf(id);
    if (sign && meta?.signature.kind === 'invalid') {
      throw new Error(
        `"${r.name}" failed signature verification when it was imported; signing it would vouch for a modified file. Export it unsigned instead.`,
      );
    }
    const patch = { ...r.patch, manifest: { ...r.patch.manifest, name: r.name } };
    if (!sign) {
      const holds = meta?.signature.kind === 'valid' && (await signatureHolds(patch));
      return { patch: holds ? patch : unsignedCopy(patch), name: r.name, signed: holds };
    }
    const key = await this.keys.getOrCreateOwnKey();
    const { signature: _old, ...rest } = patch.manifest;
    const manifest = { ...rest, tensorSha256: await tensorSha256(patch.embeddings) };
    const signed = {
      ...patch,
      manifest: { ...manifest, signature: await signManifest(manifest, key) },
    };
    // The library's copy now carries the signature the file does, so its row
    // says "signed" after a signed export instead of staying "unsigned".
    const signature: SignatureFinding = { kind: 'valid', keyFingerprint: key.fingerprint };
    await this.patches.put(signed, {
      id,
      meta: meta ? { ...meta, signature } : undefined,
    });
    return { patch: signed, name: r.name, signed: true };
  }

  async download(id: string, sign: boolean): Promise<ExportedFile> {
    // exportable() already signed the manifest when asked; the file keeps that signature.
    const { patch, name, signed } = await this.exportable(id, sign);
    return {
      fileName: downloadName(name, signed, PATCH_FILE_SUFFIX),
      mime: 'application/octet-stream',
      bytes: await encodePatchFile(patch),
    };
  }

  /** A PEFT prompt-tuning adapter zip; PEFT wants the base's head and layer counts. */
  async exportPeft(
    id: string,
    sign: boolean,
    model: Pick<ModelConfig, 'numHeads' | 'numLayers'> | null,
  ): Promise<ExportedFile> {
    const { patch, name, signed } = await this.exportable(id, sign);
    if (!model) {
      throw new Error(
        `Load the base model "${describeBase(patch.manifest.base)}" first: a PEFT adapter records its layer and head counts.`,
      );
    }
    return {
      fileName: downloadName(name, signed, '.peft.zip'),
      mime: 'application/zip',
      bytes: await exportPeftZip(patch, { model }),
    };
  }

  // ─── Import ───────────────────────────────────────────────────────────────

  /**
   * Imports each file (or PEFT folder) on its own: one bad file never stops
   * the others, and each gets a result the UI can show as one line.
   */
  async importFiles(
    inputs: ImportInput[],
    opts: { base: ExpectedBase | null; acceptModified: boolean },
  ): Promise<ImportFileResult[]> {
    const plan = planPatchImport(inputs);
    const trusted = await this.trusted();
    const common = {
      expectedBase: opts.base ?? undefined,
      trustedKeyFingerprints: trusted,
      acceptModified: opts.acceptModified,
    };
    const results: ImportFileResult[] = [];
    for (const f of plan.patchFiles) {
      const name = baseName(f.path);
      results.push(
        await this.importOne(name, f.bytes.byteLength, opts, () =>
          decodePatchFile(f.bytes, { ...common, fileName: name }),
        ),
      );
    }
    for (const f of plan.zips) {
      const name = baseName(f.path);
      results.push(
        await this.importOne(name, f.bytes.byteLength, opts, () =>
          importPeftAdapter(f.bytes, {
            ...common,
            sourceName: name,
            name: name.replace(/(\.peft)?\.zip$/i, ''),
          }),
        ),
      );
    }
    for (const { dir, files } of plan.peftFolders) {
      const label = dir ? baseName(dir) : 'PEFT adapter';
      results.push(
        await this.importOne(label, undefined, opts, () =>
          importPeftAdapter(files, { ...common, sourceName: label }),
        ),
      );
    }
    const note = ignoredFilesNote(plan.ignored);
    if (note) {
      // One quiet note on the folder's result, not one failure per README.
      if (results.length > 0) results[results.length - 1].notes.push(note);
      else {
        // Nothing importable was picked: say so once, with what was there.
        results.push({
          fileName: dirName(plan.ignored[0].path) || 'selection',
          ok: false,
          message: `No patch or PEFT adapter here. ${note}`,
          code: null,
          patchId: null,
          notes: [],
        });
      }
    }
    return results;
  }

  private async importOne(
    fileName: string,
    sizeBytes: number | undefined,
    opts: { base: ExpectedBase | null },
    decode: () => Promise<DecodedPatch>,
  ): Promise<ImportFileResult> {
    let decoded: DecodedPatch;
    try {
      decoded = await decode();
    } catch (e) {
      if (!(e instanceof PatchFileError)) throw e;
      return { fileName, ok: false, message: e.message, code: e.code, patchId: null, notes: [] };
    }
    const { patch, verification } = decoded;
    const notes = [...decoded.notes];
    if (!opts.base) {
      notes.push('No base model is loaded, so the patch was not checked against one yet.');
    }
    // The manifest's hash is only a claim (a modified file's is stale); compare the real one.
    const realHash = await tensorSha256(patch.embeddings);
    const duplicate = (await this.patches.list()).find(
      (p) => p.manifest.tensorSha256 === realHash && p.hidden === patch.hidden,
    );
    if (duplicate) {
      return {
        fileName,
        ok: true,
        // The check ran on this file: say its result, not only that it is known.
        message: `Already in the library as "${duplicate.name}"; ${verificationPhrase(verification)}. Nothing imported.`,
        code: null,
        patchId: duplicate.id,
        notes,
      };
    }
    // A modified file keeps its invalid mark here, but its stale signature and
    // hash are replaced so that exporting it later cannot pass them along.
    // Its name says so too, so the library never holds two rows of one name
    // told apart only by a badge.
    const stored =
      verification.state === 'invalid'
        ? {
            ...unsignedCopy(patch),
            manifest: {
              ...unsignedCopy(patch).manifest,
              name: `${patch.manifest.name} (modified copy)`,
              tensorSha256: realHash,
            },
          }
        : patch;
    const patchId = await this.save(stored, {
      origin: 'imported',
      verification,
      notes,
      sizeBytes,
    });
    const how: Record<SignatureVerification['state'], string> = {
      'signed-trusted': 'signed by a trusted key',
      'signed-unknown': 'signed by a key you do not trust yet',
      unsigned: 'unsigned',
      invalid: 'marked as modified: it does not match its own hash or signature',
    };
    return {
      fileName,
      ok: true,
      message: `Imported "${patch.manifest.name}" (${patch.nVirtual} vectors, ${how[verification.state]}).`,
      code: null,
      patchId,
      notes,
    };
  }

  // ─── Compose and apply ────────────────────────────────────────────────────

  /** Stacks the patches in this order into a new library patch; returns its id. */
  async compose(ids: string[], name: string): Promise<string> {
    const trimmed = name.trim();
    if (trimmed === '') throw new Error('Give the stacked patch a name.');
    if (ids.length < 2) throw new Error('Pick at least two patches to stack.');
    const records = await Promise.all(ids.map((id) => this.require(id)));
    const metas = await Promise.all(ids.map((id) => this.metaOf(id)));
    const invalid = records.filter((_, i) => metas[i]?.signature.kind === 'invalid');
    if (invalid.length > 0) {
      throw new Error(
        `"${invalid[0].name}" failed signature verification; a stack built on it would hide that. Remove it from the selection.`,
      );
    }
    const patch = await composePatches(
      records.map((r) => ({ ...r.patch, manifest: { ...r.patch.manifest, name: r.name } })),
      { name: trimmed },
    );
    // A composition report on exactly these patches travels in the new manifest.
    const composition = await compositionFor(patch.manifest.parents.map((p) => p.tensorSha256));
    if (composition) patch.manifest.composition = composition;
    return this.save(patch, { origin: 'composed' });
  }

  /** A patch's metadata: in its record, or (saved by an older build) in the library's legacy store. */
  private async metaOf(id: string): Promise<PatchMeta | undefined> {
    const r = await this.patches.get(id);
    return (r?.meta as PatchMeta | undefined) ?? (await this.db.get('meta', id));
  }

  async activeIds(): Promise<string[]> {
    return (await this.db.get('settings', ACTIVE_KEY)) ?? [];
  }

  /**
   * Sets the stack M+P uses. Refuses patches that do not fit the loaded base
   * and, unless the user overrides, patches whose signature failed.
   */
  async setActive(
    ids: string[],
    opts: { allowInvalid: boolean; base: ExpectedBase | null },
  ): Promise<string[]> {
    if (new Set(ids).size !== ids.length) throw new Error('A patch can be in the stack only once.');
    const records = await Promise.all(ids.map((id) => this.require(id)));
    for (const r of records) {
      const meta = await this.metaOf(r.id);
      if (meta?.signature.kind === 'invalid' && !opts.allowInvalid) {
        throw new Error(
          `"${r.name}": the signature does not match — the file was modified. Apply it only if you trust where it came from (use "Apply anyway").`,
        );
      }
      if (opts.base) {
        const check = checkBase(r.patch.manifest.base, opts.base);
        if (!check.ok) throw new Error(`"${r.name}" can't be applied. ${check.message}`);
      }
    }
    const widths = new Set(records.map((r) => r.patch.hidden));
    if (widths.size > 1)
      throw new Error('These patches have different widths; they cannot be stacked.');
    await this.db.put('settings', ids, ACTIVE_KEY);
    return ids;
  }

  /** The applied stack as one patch (rows in stack order), or null when none is applied. */
  async activeStack(): Promise<{
    embeddings: Float32Array;
    nVirtual: number;
    hidden: number;
    names: string[];
  } | null> {
    const ids = await this.activeIds();
    if (ids.length === 0) return null;
    const records = await Promise.all(ids.map((id) => this.require(id)));
    const hidden = records[0].patch.hidden;
    const nVirtual = records.reduce((a, r) => a + r.patch.nVirtual, 0);
    const embeddings = new Float32Array(nVirtual * hidden);
    let offset = 0;
    for (const r of records) {
      embeddings.set(r.patch.embeddings, offset);
      offset += r.patch.embeddings.length;
    }
    return { embeddings, nVirtual, hidden, names: records.map((r) => r.name) };
  }

  // ─── Keys ─────────────────────────────────────────────────────────────────

  async keyInfo(): Promise<{ own: SigningKeyInfo | null; trusted: TrustedKeyInfo[] }> {
    const own = await this.keys.getOwnKey();
    const trusted = await this.keys.listTrusted();
    return {
      own: own
        ? {
            algorithm: own.algorithm,
            fingerprint: own.fingerprint,
            createdAt: (own as { createdAt?: number }).createdAt ?? null,
          }
        : null,
      trusted: trusted.map(({ fingerprint, label, algorithm, addedAt }) => ({
        fingerprint,
        label,
        algorithm,
        addedAt,
      })),
    };
  }

  /** Makes the user's key, or replaces it when one exists. */
  async generateKey(): Promise<void> {
    if (await this.keys.getOwnKey()) await this.keys.rotateOwnKey();
    else await this.keys.getOrCreateOwnKey();
  }

  async exportPublicKey(label: string): Promise<ExportedFile> {
    const key = await this.keys.getOrCreateOwnKey();
    const text = exportPublicKeyFile(key, label.trim() || 'Patch Lab key');
    const stem = patchFileName(label.trim() || 'patch-lab').replace(/\.patch\.safetensors$/, '');
    return {
      fileName: `${stem}.patchkey.json`,
      mime: 'application/json',
      bytes: new TextEncoder().encode(text),
    };
  }

  async trust(text: string, label: string | null): Promise<TrustedKeyInfo> {
    const k = await this.keys.addTrusted(text, label?.trim() || undefined);
    return {
      fingerprint: k.fingerprint,
      label: k.label,
      algorithm: k.algorithm,
      addedAt: k.addedAt,
    };
  }

  async untrust(fingerprint: string): Promise<void> {
    const removed = await this.keys.removeTrusted(fingerprint);
    if (!removed) throw new Error('That key is not in your trusted list.');
  }
}

/** A file's verification result as a clause: "signature valid, by key 1a2b3c4d5e6f7a8b… (trusted)". */
export function verificationPhrase(v: SignatureVerification): string {
  const key = v.keyFingerprint ? `key ${v.keyFingerprint.slice(0, 16)}…` : 'an unnamed key';
  switch (v.state) {
    case 'signed-trusted':
      return `signature valid, by ${key} (trusted)`;
    case 'signed-unknown':
      return `signature valid, by ${key} (not in your trusted keys)`;
    case 'unsigned':
      return 'the file is unsigned';
    case 'invalid':
      return 'the signature does not match — the file was modified';
  }
}

/** Whether the patch's signature (if any) verifies over its manifest as it would be written. */
async function signatureHolds(patch: Patch): Promise<boolean> {
  if (!patch.manifest.signature) return false;
  const v = await verifyManifestSignature(
    patch.manifest as unknown as Record<string, unknown>,
    await tensorSha256(patch.embeddings),
  );
  return v.state === 'signed-trusted' || v.state === 'signed-unknown';
}

/** The patch without a signature (for renamed or modified copies). */
function unsignedCopy(patch: Patch): Patch {
  const { signature: _dropped, ...manifest } = patch.manifest;
  return { ...patch, manifest };
}
