// Whether a patch fits a base model. The fingerprint is the evidence; the id
// and revision are claims. So: a fingerprint on both sides decides; without
// one, the hidden size must match and a differing id is only a warning,
// because an id can be spelled differently (local folder vs. hub) for the
// same weights and we have nothing better to go on.

import type { PatchBase } from './types';

export interface BaseCheckTarget {
  id: string;
  revision: string;
  hiddenSize: number;
  fingerprint: string | null;
}

export type BaseCheck =
  | { ok: true; warnings: string[] }
  | { ok: false; reason: 'hidden-size' | 'fingerprint'; message: string };

/** "SmolLM2-135M rev abc1234": the short name a user recognises. */
export function describeBase(b: { id: string; revision: string }): string {
  const shortId = b.id.includes('/') ? b.id.slice(b.id.lastIndexOf('/') + 1) : b.id;
  const rev = /^[0-9a-f]{40}$/.test(b.revision) ? b.revision.slice(0, 7) : b.revision;
  return `${shortId} rev ${rev}`;
}

export function checkBase(patchBase: PatchBase, target: BaseCheckTarget): BaseCheck {
  if (patchBase.hiddenSize !== target.hiddenSize) {
    return {
      ok: false,
      reason: 'hidden-size',
      message: `This patch was made for ${describeBase(patchBase)} (hidden size ${patchBase.hiddenSize}); you have ${describeBase(target)} (hidden size ${target.hiddenSize}).`,
    };
  }
  if (patchBase.fingerprint !== null && target.fingerprint !== null) {
    if (patchBase.fingerprint !== target.fingerprint) {
      return {
        ok: false,
        reason: 'fingerprint',
        message: `This patch was made for ${describeBase(patchBase)}, you have ${describeBase(target)}: the embedding fingerprints differ (${patchBase.fingerprint} vs ${target.fingerprint}).`,
      };
    }
    return { ok: true, warnings: [] };
  }
  const warnings = [
    'This patch carries no fingerprint of its base model, so only the hidden size could be checked.',
  ];
  if (patchBase.id !== target.id || patchBase.revision !== target.revision) {
    warnings.push(
      `It says it was made for ${describeBase(patchBase)}; you have ${describeBase(target)}.`,
    );
  }
  return { ok: true, warnings };
}
