// Stacking patches: the composed patch is the parents' rows concatenated in
// the chosen order ([Σn, hidden]). Order matters — the base model reads the
// prefix left to right — so the manifest records the parents in order, each
// with its content hash, and the result is a new unsigned patch.

import { checkBase, describeBase } from './base';
import { tensorSha256 } from './hash';
import { CURRENT_FORMAT_VERSION, type Patch, type PatchManifest } from './types';

export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeError';
  }
}

export async function composePatches(
  patches: Patch[],
  opts: { name: string; createdAt?: string },
): Promise<Patch> {
  if (patches.length === 0) throw new ComposeError('Pick at least one patch to stack.');
  const first = patches[0];
  for (const p of patches.slice(1)) {
    const check = checkBase(p.manifest.base, first.manifest.base);
    // A missing fingerprint on one side leaves only the claimed id to compare, and
    // stacking onto a different model is never what the user meant.
    const sameClaim =
      p.manifest.base.id === first.manifest.base.id &&
      p.manifest.base.revision === first.manifest.base.revision;
    if (!check.ok || (check.warnings.length > 0 && !sameClaim)) {
      throw new ComposeError(
        `Can't stack "${first.manifest.name}" (made for ${describeBase(first.manifest.base)}) with "${p.manifest.name}" (made for ${describeBase(p.manifest.base)}): patches only stack on the same base model.`,
      );
    }
  }
  const hidden = first.hidden;
  const nVirtual = patches.reduce((a, p) => a + p.nVirtual, 0);
  const embeddings = new Float32Array(nVirtual * hidden);
  let offset = 0;
  for (const p of patches) {
    embeddings.set(p.embeddings, offset);
    offset += p.embeddings.length;
  }
  const parents = await Promise.all(
    patches.map(async (p) => ({
      name: p.manifest.name,
      // Recomputed rather than copied: the parent's manifest may be stale or forged.
      tensorSha256: await tensorSha256(p.embeddings),
      nVirtual: p.nVirtual,
    })),
  );
  const domains = [...new Set(patches.flatMap((p) => p.manifest.domains))];
  const manifest: PatchManifest = {
    formatVersion: CURRENT_FORMAT_VERSION,
    name: opts.name,
    createdAt: opts.createdAt ?? new Date().toISOString(),
    base: {
      ...first.manifest.base,
      fingerprint:
        patches.find((p) => p.manifest.base.fingerprint)?.manifest.base.fingerprint ?? null,
    },
    domains,
    // A stack has no single training recipe, and its metrics are only known once it is evaluated.
    recipe: null,
    metrics: {},
    parents,
    tensorSha256: await tensorSha256(embeddings),
  };
  return { embeddings, nVirtual, hidden, manifest };
}
