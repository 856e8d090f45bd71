// PEFT interchange: a patch is exactly a PEFT prompt-tuning adapter
// (PromptTuningConfig + "prompt_embeddings" [num_virtual_tokens, token_dim]),
// so a patch trained here loads in Python with
// PeftModel.from_pretrained(model, folder), and an adapter trained in Python
// can be imported here. The Patch Lab manifest rides along in the adapter's
// safetensors metadata, which PEFT ignores, so a round trip loses nothing.

import { strFromU8, strToU8, zipSync } from 'fflate';
import { baseName, dirName } from '../engine/file-path';
import { readTensorFloat32, writeSafetensors } from '../engine/safetensors';
import type { ModelConfig } from '../engine/types';
import {
  extractZip,
  listZip,
  type ZipEntry,
  ZipError,
  type ZipErrorCode,
} from '../engine/zip-reader';
import { checkBase } from './base';
import { PatchFileError, type PatchFileErrorCode } from './errors';
import { type DecodedPatch, decodePatchFile, readPatchHeader } from './file';
import { tensorSha256 } from './hash';
import { METADATA_MANIFEST_KEY } from './migrations';
import { manifestFromRunProvenance, RUN_PROVENANCE_FILE } from './run-provenance';
import {
  CURRENT_FORMAT_VERSION,
  type ExpectedBase,
  PATCH_TENSOR_NAME,
  type Patch,
  type PatchManifest,
} from './types';

export const PEFT_CONFIG_FILE = 'adapter_config.json';
export const PEFT_WEIGHTS_FILE = 'adapter_model.safetensors';
const PEFT_PICKLE_FILE = 'adapter_model.bin';
/**
 * A prompt-tuning adapter is n_virtual × hidden floats: 2,048 virtual tokens
 * of an 8,192-wide model in float32 is 64 MiB, far past any published one.
 */
const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The fields of PEFT's PromptTuningConfig as save_pretrained writes them to adapter_config.json. */
export interface PeftPromptTuningConfig {
  auto_mapping: null;
  base_model_name_or_path: string | null;
  revision: string | null;
  peft_type: 'PROMPT_TUNING';
  task_type: 'CAUSAL_LM';
  inference_mode: boolean;
  num_virtual_tokens: number;
  token_dim: number;
  num_transformer_submodules: number;
  num_attention_heads: number;
  num_layers: number;
  modules_to_save: null;
  prompt_tuning_init: 'RANDOM' | 'TEXT';
  prompt_tuning_init_text: string | null;
  tokenizer_name_or_path: string | null;
  tokenizer_kwargs: null;
}

export interface PeftExportOptions {
  /** From the base model's config; PEFT stores them though prompt tuning does not use them. */
  model: Pick<ModelConfig, 'numHeads' | 'numLayers'>;
}

export function peftAdapterConfig(patch: Patch, opts: PeftExportOptions): PeftPromptTuningConfig {
  const { base, recipe } = patch.manifest;
  const text = recipe?.init.method === 'text' ? (recipe.init.text ?? null) : null;
  const known = (s: string) => (s === 'unknown' ? null : s);
  return {
    auto_mapping: null,
    base_model_name_or_path: known(base.id),
    revision: known(base.revision),
    peft_type: 'PROMPT_TUNING',
    task_type: 'CAUSAL_LM',
    // inference_mode true also stops PEFT re-running TEXT init (which would fetch a tokenizer).
    inference_mode: true,
    num_virtual_tokens: patch.nVirtual,
    token_dim: patch.hidden,
    num_transformer_submodules: 1,
    num_attention_heads: opts.model.numHeads,
    num_layers: opts.model.numLayers,
    modules_to_save: null,
    // PEFT knows RANDOM and TEXT everywhere; other inits (vocab sampling) only
    // describe the starting point, which the saved weights supersede.
    prompt_tuning_init: text !== null ? 'TEXT' : 'RANDOM',
    prompt_tuning_init_text: text,
    tokenizer_name_or_path: text !== null ? known(base.id) : null,
    tokenizer_kwargs: null,
  };
}

/** The two files of a PEFT adapter folder. */
export async function exportPeftFiles(
  patch: Patch,
  opts: PeftExportOptions,
): Promise<Record<string, Uint8Array>> {
  const config = peftAdapterConfig(patch, opts);
  const hash = await tensorSha256(patch.embeddings);
  const manifest: PatchManifest = { ...patch.manifest, tensorSha256: hash };
  // A carried signature only stays if the content it covers is unchanged.
  if (patch.manifest.tensorSha256 !== hash) delete manifest.signature;
  const weights = writeSafetensors(
    [{ name: PATCH_TENSOR_NAME, shape: [patch.nVirtual, patch.hidden], data: patch.embeddings }],
    // "pt" is what PEFT itself writes; the manifest key is ignored by PEFT.
    { format: 'pt', [METADATA_MANIFEST_KEY]: JSON.stringify(manifest) },
  );
  return {
    [PEFT_CONFIG_FILE]: strToU8(`${JSON.stringify(config, null, 2)}\n`),
    [PEFT_WEIGHTS_FILE]: weights,
  };
}

/** A zip with the adapter files at its root. */
export async function exportPeftZip(patch: Patch, opts: PeftExportOptions): Promise<Uint8Array> {
  return zipSync(await exportPeftFiles(patch, opts));
}

export interface PeftFile {
  /** Path inside the folder or zip, "/"-separated. */
  path: string;
  bytes: Uint8Array;
}

/** What a zip may make the importer read; configurable so tests stay small. */
export interface PeftZipLimits {
  /** Entries in the zip's central directory (a hub folder holds a few dozen). */
  maxEntries: number;
  maxConfigBytes: number;
  maxWeightsBytes: number;
}

export const PEFT_ZIP_LIMITS: PeftZipLimits = {
  maxEntries: 4096,
  maxConfigBytes: MAX_CONFIG_BYTES,
  maxWeightsBytes: MAX_WEIGHTS_BYTES,
};

export interface PeftImportOptions {
  /** Shown in messages (the zip or folder name). */
  sourceName: string;
  /** Name for the imported patch; defaults to the folder name or "peft-adapter". */
  name?: string;
  expectedBase?: ExpectedBase;
  trustedKeyFingerprints?: Iterable<string>;
  /**
   * The user's explicit override, as for .patch.safetensors files: import an
   * adapter whose signed Patch Lab manifest no longer matches (marked invalid).
   */
  acceptModified?: boolean;
  zipLimits?: Partial<PeftZipLimits>;
}

const isMacJunk = (path: string) =>
  path.startsWith('__MACOSX/') || path.includes('/__MACOSX/') || baseName(path).startsWith('._');

/**
 * Whether a file picked from a folder (or found in a zip) is one of a PEFT
 * adapter's own files; everything else in a hub folder (README.md,
 * .gitattributes, training_args.bin…) is none of the importer's business.
 */
export function isPeftAdapterFile(path: string): boolean {
  return ADAPTER_NAMES.has(baseName(path)) && !isMacJunk(path);
}

/** patch_lab.json rides along: a run bundle's train_patch.py writes it next to the config. */
const ADAPTER_NAMES = new Set([
  PEFT_CONFIG_FILE,
  PEFT_WEIGHTS_FILE,
  PEFT_PICKLE_FILE,
  RUN_PROVENANCE_FILE,
]);

/** The one folder holding adapter_config.json, refused when there is none or several. */
function adapterDir(paths: string[], where: string): string {
  const dirs = [
    ...new Set(
      paths
        .filter((p) => isPeftAdapterFile(p) && baseName(p) === PEFT_CONFIG_FILE)
        .map((p) => dirName(p)),
    ),
  ];
  if (dirs.length === 0) {
    throw new PatchFileError(
      'PEFT_FILE_MISSING',
      `${where} has no ${PEFT_CONFIG_FILE}; it is not a PEFT adapter.`,
    );
  }
  if (dirs.length > 1) {
    const shown = dirs.slice(0, 5).map((d) => d || '(root)');
    throw new PatchFileError(
      'PEFT_UNSUPPORTED',
      `${where} holds ${dirs.length} adapters (${shown.join(', ')}${dirs.length > 5 ? ', …' : ''}); import one folder at a time.`,
    );
  }
  return dirs[0];
}

const FROM_ZIP: Record<ZipErrorCode, PatchFileErrorCode> = {
  NOT_A_ZIP: 'NOT_A_ZIP',
  DAMAGED: 'ZIP_DAMAGED',
  UNSUPPORTED: 'ZIP_UNSUPPORTED',
  TOO_MANY_ENTRIES: 'ZIP_LIMIT',
  ENTRY_TOO_LARGE: 'ZIP_LIMIT',
  TOTAL_TOO_LARGE: 'ZIP_LIMIT',
  OVERLAPPING_ENTRIES: 'ZIP_DAMAGED',
  SIZE_MISMATCH: 'ZIP_DAMAGED',
  CRC_MISMATCH: 'ZIP_DAMAGED',
};

function zipFailure(e: unknown, sourceName: string): never {
  if (!(e instanceof ZipError)) throw e;
  const lead =
    e.code === 'NOT_A_ZIP'
      ? 'is not a readable zip file'
      : FROM_ZIP[e.code] === 'ZIP_LIMIT'
        ? 'is larger than a PEFT adapter can be'
        : FROM_ZIP[e.code] === 'ZIP_UNSUPPORTED'
          ? 'uses a zip feature this app does not read'
          : 'is a damaged zip file';
  throw new PatchFileError(FROM_ZIP[e.code], `"${sourceName}" ${lead} (${e.message}).`);
}

/**
 * The adapter's files from a zip. Only the central directory is read until
 * the one adapter folder is known; then only its config and weights are
 * inflated, under the size limits, with CRC-32 checked.
 */
export function unzipPeft(
  zip: Uint8Array,
  sourceName: string,
  limits: Partial<PeftZipLimits> = {},
): PeftFile[] {
  const l = { ...PEFT_ZIP_LIMITS, ...limits };
  try {
    const entries = listZip(zip, l).filter((e) => isPeftAdapterFile(e.name));
    const dir = adapterDir(
      entries.map((e) => e.name),
      `"${sourceName}"`,
    );
    const inDir = entries.filter((e) => dirName(e.name) === dir);
    // Two entries under one name: which one a tool shows and which one is
    // imported would differ, so neither is trusted.
    const seen = new Set<string>();
    for (const e of inDir) {
      if (seen.has(e.name)) {
        throw new ZipError('DAMAGED', `"${e.name}" appears twice in the zip`, e.name);
      }
      seen.add(e.name);
    }
    // The pickle is never read, only noticed, so it is never inflated.
    const wanted = inDir.filter((e) => baseName(e.name) !== PEFT_PICKLE_FILE);
    const maxOf = (e: ZipEntry) =>
      baseName(e.name) === PEFT_WEIGHTS_FILE ? l.maxWeightsBytes : l.maxConfigBytes;
    const bytes = extractZip(zip, wanted, {
      maxEntryBytes: maxOf,
      maxTotalBytes: 2 * l.maxConfigBytes + l.maxWeightsBytes,
    });
    const files = wanted.map((e, i) => ({ path: e.name, bytes: bytes[i] }));
    for (const e of inDir) {
      if (baseName(e.name) === PEFT_PICKLE_FILE) {
        files.push({ path: e.name, bytes: new Uint8Array(0) });
      }
    }
    return files;
  } catch (e) {
    if (e instanceof PatchFileError) throw e;
    return zipFailure(e, sourceName);
  }
}

function parseConfig(bytes: Uint8Array, where: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(bytes));
  } catch {
    throw new PatchFileError(
      'PEFT_CONFIG_INVALID',
      `${where}: ${PEFT_CONFIG_FILE} is not valid JSON.`,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PatchFileError(
      'PEFT_CONFIG_INVALID',
      `${where}: ${PEFT_CONFIG_FILE} is not a JSON object.`,
    );
  }
  const c = raw as Record<string, unknown>;
  if (c.peft_type !== 'PROMPT_TUNING') {
    throw new PatchFileError(
      'PEFT_UNSUPPORTED',
      `${where} is a ${typeof c.peft_type === 'string' ? c.peft_type : 'unknown'} adapter; only PEFT prompt tuning (PROMPT_TUNING) adapters are patches.`,
    );
  }
  if (c.task_type !== 'CAUSAL_LM' && c.task_type !== undefined && c.task_type !== null) {
    throw new PatchFileError(
      'PEFT_UNSUPPORTED',
      `${where} is for task ${String(c.task_type)}; only CAUSAL_LM adapters can patch a causal language model.`,
    );
  }
  const sub = c.num_transformer_submodules;
  if (sub !== undefined && sub !== null && sub !== 1) {
    throw new PatchFileError(
      'PEFT_UNSUPPORTED',
      `${where} has ${String(sub)} transformer submodules; a decoder-only patch has 1.`,
    );
  }
  for (const key of ['num_virtual_tokens', 'token_dim']) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      throw new PatchFileError(
        'PEFT_CONFIG_INVALID',
        `${where}: ${PEFT_CONFIG_FILE} needs "${key}" as a positive integer.`,
      );
    }
  }
  return c;
}

/** Whether the embedded manifest text holds a signature field (however broken). */
function carriesSignature(manifestText: string): boolean {
  try {
    const m: unknown = JSON.parse(manifestText);
    return typeof m === 'object' && m !== null && Object.hasOwn(m, 'signature');
  } catch {
    return false;
  }
}

const optionalString = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** Imports a PEFT prompt-tuning adapter from a folder's files or a zip. */
export async function importPeftAdapter(
  input: PeftFile[] | Uint8Array,
  opts: PeftImportOptions,
): Promise<DecodedPatch> {
  const where = `"${opts.sourceName}"`;
  const files =
    input instanceof Uint8Array ? unzipPeft(input, opts.sourceName, opts.zipLimits) : input;
  const dir = adapterDir(
    files.map((f) => f.path),
    where,
  );
  const at = (name: string) => files.find((f) => f.path === (dir ? `${dir}/${name}` : name));
  const configFile = at(PEFT_CONFIG_FILE)!;
  const weightsFile = at(PEFT_WEIGHTS_FILE);
  if (!weightsFile) {
    throw new PatchFileError(
      at(PEFT_PICKLE_FILE) ? 'PEFT_UNSUPPORTED' : 'PEFT_FILE_MISSING',
      at(PEFT_PICKLE_FILE)
        ? `${where} has only ${PEFT_PICKLE_FILE} (a PyTorch pickle, unsafe to load); re-save it with save_pretrained(..., safe_serialization=True).`
        : `${where} has no ${PEFT_WEIGHTS_FILE}.`,
    );
  }
  const maxConfig = opts.zipLimits?.maxConfigBytes ?? MAX_CONFIG_BYTES;
  if (configFile.bytes.byteLength > maxConfig) {
    throw new PatchFileError(
      'PEFT_CONFIG_INVALID',
      `${where}: ${PEFT_CONFIG_FILE} is ${configFile.bytes.byteLength} bytes; a PEFT config is a few hundred.`,
    );
  }
  const config = parseConfig(configFile.bytes, where);
  const nVirtual = config.num_virtual_tokens as number;
  const tokenDim = config.token_dim as number;
  const weightsName = `${opts.sourceName}/${weightsFile.path}`;

  const header = readPatchHeader(weightsFile.bytes, weightsName);
  const notes: string[] = [];
  if (header.metadata?.[METADATA_MANIFEST_KEY] !== undefined) {
    // Exported by Patch Lab: the full manifest is inside. If the adapter was
    // changed since (re-saved in another dtype, retrained in Python), the
    // manifest no longer describes it and the config is used instead.
    //
    // A signed manifest is different: dropping it and importing the weights
    // as "unsigned" would let anyone strip a failed signature check by
    // renaming a file, so a bad signature (or signed weights changed since)
    // is refused exactly as decodePatchFile refuses a .patch.safetensors.
    const signed = carriesSignature(header.metadata[METADATA_MANIFEST_KEY]);
    try {
      const decoded = await decodePatchFile(weightsFile.bytes, {
        fileName: weightsName,
        expectedBase: opts.expectedBase,
        trustedKeyFingerprints: opts.trustedKeyFingerprints,
        acceptModified: opts.acceptModified,
      });
      if (decoded.patch.nVirtual === nVirtual && decoded.patch.hidden === tokenDim) return decoded;
      if (signed) {
        throw new PatchFileError(
          'SIGNATURE_INVALID',
          `${where}: ${PEFT_CONFIG_FILE} says [${nVirtual}, ${tokenDim}] but the signed manifest describes [${decoded.patch.nVirtual}, ${decoded.patch.hidden}]; the adapter was changed after it was signed.`,
        );
      }
      notes.push('The adapter config disagrees with its Patch Lab manifest; the config was used.');
    } catch (e) {
      if (!(e instanceof PatchFileError)) throw e;
      if (
        e.code === 'HIDDEN_SIZE_MISMATCH' ||
        e.code === 'BASE_MISMATCH' ||
        e.code === 'FORMAT_TOO_NEW' ||
        e.code === 'SIGNATURE_INVALID' ||
        (signed && e.code === 'CONTENT_MODIFIED')
      )
        throw e;
      notes.push(`The Patch Lab manifest inside the adapter was not used: ${e.message}`);
    }
  }

  const names = [...header.tensors.keys()];
  // PEFT saves "prompt_embeddings"; some tools prefix module paths ("base_model.prompt_embeddings").
  const tensorNames = names.filter(
    (n) => n === PATCH_TENSOR_NAME || n.endsWith(`.${PATCH_TENSOR_NAME}`),
  );
  if (tensorNames.length !== 1 || names.length !== 1) {
    throw new PatchFileError(
      tensorNames.length === 0 ? 'MISSING_TENSOR' : 'EXTRA_TENSOR',
      `${where}: a prompt-tuning adapter holds exactly one "${PATCH_TENSOR_NAME}" tensor; this one holds ${names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', ')}.`,
    );
  }
  const entry = header.tensors.get(tensorNames[0])!;
  if (!['F32', 'F16', 'BF16'].includes(entry.dtype)) {
    throw new PatchFileError(
      'WRONG_DTYPE',
      `${where}: prompt embeddings stored as ${entry.dtype}; expected F32, F16 or BF16.`,
    );
  }
  if (entry.shape.length !== 2 || entry.shape[0] !== nVirtual || entry.shape[1] !== tokenDim) {
    throw new PatchFileError(
      'BAD_SHAPE',
      `${where}: prompt embeddings have shape [${entry.shape.join(', ')}] but ${PEFT_CONFIG_FILE} says [${nVirtual}, ${tokenDim}].`,
    );
  }
  const embeddings = readTensorFloat32(weightsFile.bytes, entry, tensorNames[0]);
  const bad = embeddings.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new PatchFileError(
      'NON_FINITE',
      `${where} contains ${embeddings[bad]} at row ${Math.floor(bad / tokenDim)}, column ${bad % tokenDim}; a usable patch has only finite numbers.`,
    );
  }
  if (entry.dtype !== 'F32') notes.push(`Converted from ${entry.dtype} to float32.`);
  const hash = await tensorSha256(embeddings);
  const createdAt = new Date().toISOString();

  let manifest: PatchManifest | null = null;
  const provenance = at(RUN_PROVENANCE_FILE);
  if (provenance) {
    try {
      if (provenance.bytes.byteLength > maxConfig) {
        throw new PatchFileError(
          'MANIFEST_INVALID',
          `${RUN_PROVENANCE_FILE} is ${provenance.bytes.byteLength} bytes; a run file is a few kilobytes.`,
        );
      }
      manifest = manifestFromRunProvenance(provenance.bytes, {
        nVirtual,
        tokenDim,
        tensorSha256: hash,
        createdAt,
      });
      if (opts.name !== undefined) manifest.name = opts.name;
      const tool = manifest.trainedWith?.tool;
      notes.push(
        `Restored the Patch Lab manifest (base, domains, recipe) from ${RUN_PROVENANCE_FILE}${tool ? `; trained with ${tool}` : ''}. It carries no metrics: evaluate it here.`,
      );
    } catch (e) {
      if (!(e instanceof PatchFileError)) throw e;
      notes.push(`${RUN_PROVENANCE_FILE} was not used: ${e.message}`);
    }
  }
  if (!manifest) {
    notes.push(
      'Imported from a PEFT adapter: it carries no base-model fingerprint, recipe or metrics.',
    );
  }

  manifest ??= {
    formatVersion: CURRENT_FORMAT_VERSION,
    name: opts.name ?? (dir ? baseName(dir) : 'peft-adapter'),
    createdAt,
    base: {
      id: optionalString(config.base_model_name_or_path) ?? 'unknown',
      revision: optionalString(config.revision) ?? 'unknown',
      architecture: 'unknown',
      hiddenSize: tokenDim,
      fingerprint: null,
    },
    domains: [],
    recipe: null,
    metrics: {},
    parents: [],
    tensorSha256: hash,
  };
  if (opts.expectedBase) {
    const check = checkBase(manifest.base, opts.expectedBase);
    if (!check.ok) throw new PatchFileError('HIDDEN_SIZE_MISMATCH', check.message);
    notes.push(...check.warnings);
  }
  return {
    patch: { embeddings, nVirtual, hidden: tokenDim, manifest },
    verification: {
      state: 'unsigned',
      message: 'This patch is not signed: its author cannot be checked.',
    },
    notes,
  };
}
