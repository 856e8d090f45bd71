// Manifest versions and the up-migrations between them (after tldraw's
// versioned schemas): each step is one function from version n to n+1, run in
// order on load, and each leaves a note the UI shows ("migrated from v0"), so
// an old file is upgraded visibly, never rejected silently and never silently
// reinterpreted. Add a version by appending a step and bumping
// CURRENT_FORMAT_VERSION; never edit a released step.

import { PatchFileError } from './errors';
import { CURRENT_FORMAT_VERSION } from './types';

/** safetensors __metadata__ keys. */
export const METADATA_FORMAT_KEY = 'format';
export const METADATA_FORMAT_VALUE = 'patch-lab';
/** v1+: the whole manifest as one JSON string. */
export const METADATA_MANIFEST_KEY = 'patch_lab';
/** v0 only: flat string keys, with this one saying "0". */
export const METADATA_V0_VERSION_KEY = 'patch_lab_version';

export interface MigrationContext {
  /** Computed from the file's tensor bytes, for versions that did not store it. */
  tensorSha256: string;
}

interface MigrationStep {
  from: number;
  note: string;
  up: (manifest: unknown, ctx: MigrationContext) => unknown;
}

/**
 * v0 (the first prototype) stored flat strings in __metadata__:
 * name, base_model, hidden_size, created, optional base_revision, domain
 * (comma-separated), init, steps, learning_rate, seed. It had no base
 * fingerprint, no content hash, no metrics, no signature, and trained with
 * SFT only.
 */
function v0ToV1(raw: unknown, ctx: MigrationContext): unknown {
  const m = raw as Record<string, string>;
  const required = ['name', 'base_model', 'hidden_size', 'created'];
  const missing = required.filter((k) => typeof m[k] !== 'string' || m[k].trim() === '');
  if (missing.length > 0) {
    throw new PatchFileError(
      'MANIFEST_INVALID',
      `This is an old (v0) patch file without the required ${missing.map((k) => `"${k}"`).join(', ')} ${missing.length === 1 ? 'entry' : 'entries'}; it cannot be migrated.`,
    );
  }
  const need = (key: string): string => m[key];
  const hiddenSize = Number(need('hidden_size'));
  const domains = (m.domain ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const steps = Number(m.steps);
  const learningRate = Number(m.learning_rate);
  const seed = Number(m.seed);
  // A recipe is only reported when v0 recorded all of it; a partial one would mislead.
  const hasRecipe =
    typeof m.init === 'string' &&
    Number.isSafeInteger(steps) &&
    Number.isFinite(learningRate) &&
    Number.isSafeInteger(seed);
  return {
    formatVersion: 1,
    name: need('name'),
    createdAt: need('created'),
    base: {
      id: need('base_model'),
      revision: m.base_revision?.trim() ? m.base_revision : 'unknown',
      architecture: 'unknown',
      hiddenSize,
      fingerprint: null,
    },
    domains,
    recipe: hasRecipe
      ? {
          init: { method: m.init },
          stages: [{ kind: 'sft', steps }],
          beta: null,
          learningRate,
          datasets: [],
          seed,
        }
      : null,
    metrics: {},
    parents: [],
    tensorSha256: ctx.tensorSha256,
  };
}

const STEPS: MigrationStep[] = [
  {
    from: 0,
    note: 'Migrated from format v0: it recorded no base-model fingerprint and no content hash, so the base could only be checked by hidden size and the hash was computed on load.',
    up: v0ToV1,
  },
];

export interface StoredManifest {
  version: number;
  /** The manifest as stored: the parsed JSON object (v1+) or the flat metadata (v0). */
  raw: unknown;
}

/** Finds the manifest in a safetensors __metadata__ map and reads its version. */
export function extractManifest(metadata: Record<string, string> | null): StoredManifest {
  const json = metadata?.[METADATA_MANIFEST_KEY];
  if (json !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new PatchFileError(
        'MANIFEST_INVALID',
        `The patch manifest ("${METADATA_MANIFEST_KEY}" metadata) is not valid JSON.`,
      );
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new PatchFileError('MANIFEST_INVALID', 'The patch manifest is not a JSON object.');
    }
    const version = (raw as Record<string, unknown>).formatVersion;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
      throw new PatchFileError(
        'MANIFEST_INVALID',
        'The patch manifest has no valid formatVersion (a whole number, 1 or more).',
      );
    }
    return { version, raw };
  }
  if (metadata?.[METADATA_V0_VERSION_KEY] !== undefined) {
    if (metadata[METADATA_V0_VERSION_KEY] !== '0') {
      throw new PatchFileError(
        'MANIFEST_INVALID',
        `The patch metadata says "${METADATA_V0_VERSION_KEY}" is "${metadata[METADATA_V0_VERSION_KEY]}"; only "0" uses that layout.`,
      );
    }
    return { version: 0, raw: { ...metadata } };
  }
  throw new PatchFileError(
    'MANIFEST_MISSING',
    'This safetensors file has no Patch Lab manifest. If it is a PEFT prompt-tuning adapter, import it as a PEFT adapter instead.',
  );
}

/** Runs every step from `stored.version` up to CURRENT_FORMAT_VERSION; validate the result afterwards. */
export function migrateManifest(
  stored: StoredManifest,
  ctx: MigrationContext,
): { manifest: unknown; notes: string[] } {
  if (stored.version > CURRENT_FORMAT_VERSION) {
    throw new PatchFileError(
      'FORMAT_TOO_NEW',
      `This patch was made by a newer Patch Lab (format v${stored.version}); this app reads up to v${CURRENT_FORMAT_VERSION} — update the app.`,
    );
  }
  let manifest = stored.raw;
  const notes: string[] = [];
  for (let v = stored.version; v < CURRENT_FORMAT_VERSION; v++) {
    const step = STEPS.find((s) => s.from === v);
    if (!step) throw new Error(`migrations: no step from v${v} (a bug in this build)`);
    manifest = step.up(manifest, ctx);
    notes.push(step.note);
  }
  return { manifest, notes };
}
