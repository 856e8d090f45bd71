// Pure helpers of the composition views: the settings line a report is shown
// with, whether a report belongs to the stack on screen, the order picker's
// labels, and a stacked patch's manifest composition as rows. Tensor-free;
// the components (CompositionReport.tsx, ManifestComposition.tsx) only lay
// these out.
import type { PatchManifest } from '../../patch/types';
import type { EvalConfig } from '../../protocol/messages';

/** One order as a stable key: ids joined by a separator no id contains in practice. */
export const orderKey = (order: readonly string[]) => order.join('\n');

/** The same patches, in any order (a report covers every order of its set). */
export function sameStack(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * What a report's numbers rest on, in words: prompts per set, samples, new
 * tokens, sampling, judges. Two configs with the same line may still differ
 * in a custom set's content; the worker's config key tells those apart.
 */
export function evalSettingsLine(c: EvalConfig): string {
  const sets = Object.entries(c.sets)
    .filter(([, s]) => s.source !== 'off')
    .map(([kind, s]) => (s.source === 'custom' ? `${kind} (${s.set.name})` : kind));
  const greedy = c.sampling.temperature <= 0;
  return [
    `sets: ${sets.join(', ') || 'none'}${c.crowsPairs ? ' + CrowS-Pairs' : ''}`,
    c.maxPromptsPerSet > 0 ? `first ${c.maxPromptsPerSet} prompts per set` : 'all prompts',
    greedy ? 'greedy' : `k = ${c.k}, temperature ${c.sampling.temperature}`,
    `${c.sampling.maxNewTokens} new tokens`,
    `seed ${c.sampling.seed}`,
    c.scorer.kind === 'lexicon' ? 'lexicon scorer' : `scorer ${c.scorer.modelId}`,
    c.refusal?.kind === 'classifier'
      ? `refusal judge ${c.refusal.modelId}`
      : `refusal rule ${c.refusal?.id ?? 'default'}`,
  ].join(' · ');
}

export interface ManifestCompositionRow {
  domain: string;
  alone: string;
  stacked: string;
  /** Points lost from alone to stacked ("12"), or "—" when either is undefined. */
  loss: string;
  /** Gap closed before joint retraining, when the patch is a joint retrain. */
  beforeJoint?: string;
}

export interface ManifestCompositionView {
  order: string;
  measured: string;
  rows: ManifestCompositionRow[];
  joint: boolean;
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(100 * x)} %`);

/** A stacked patch's manifest composition as the Patches panel shows it; null without one. */
export function manifestCompositionView(manifest: PatchManifest): ManifestCompositionView | null {
  const c = manifest.composition;
  if (!c) return null;
  const name = (h: string) =>
    manifest.parents.find((p) => p.tensorSha256 === h)?.name ?? h.slice(0, 8);
  const names = (o: string[]) => o.map(name).join(' → ');
  const joint = c.beforeJoint !== undefined;
  const best = c.recommendedOrder ? `, best ${names(c.recommendedOrder)}` : '';
  return {
    order: names(c.order),
    measured: `${c.evaluatedOrders} order${c.evaluatedOrders === 1 ? '' : 's'} measured${best}`,
    joint,
    rows: c.domains.map((d) => ({
      domain: d.domain,
      alone: pct(d.alone),
      stacked: pct(d.stacked),
      loss:
        d.alone === null || d.stacked === null
          ? '—'
          : `${Math.round(100 * d.alone) - Math.round(100 * d.stacked)}`,
      ...(joint
        ? { beforeJoint: pct(c.beforeJoint?.find((b) => b.domain === d.domain)?.stacked ?? null) }
        : {}),
    })),
  };
}
