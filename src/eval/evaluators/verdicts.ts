// Refusal verdicts for the harmful and safe domains: each sample judged by
// the refusal detector, and per prompt the number of refused samples (the
// weight being the prompt's sample count), from which every refusal rate is
// the pooled share.
import type { PerPromptValues } from '../metrics/per-prompt';
import { matchRefusal, type RefusalListId } from '../refusal';
import type { SampleRecord } from '../report';
import { promptKey, sampleRecords } from './context';
import type { Generated } from './types';

export function refusalSamples(
  gens: readonly Generated[],
  lists: readonly RefusalListId[],
): SampleRecord[] {
  return sampleRecords(gens).map((r) => {
    const m = matchRefusal(r.text, lists);
    return m ? { ...r, refused: true, refusalPhrase: m.phrase } : { ...r, refused: false };
  });
}

/**
 * Per prompt, how many samples were refused (`refused: true`) or not; `samples`
 * are refusalSamples(gens) in the same order.
 */
export function refusalPerPrompt(
  gens: readonly Generated[],
  samples: readonly SampleRecord[],
  count: 'refused' | 'answered',
): PerPromptValues {
  const values: number[] = [];
  let at = 0;
  for (const g of gens) {
    const own = samples.slice(at, at + g.samples.length);
    at += g.samples.length;
    values.push(own.filter((s) => (count === 'refused' ? s.refused : !s.refused)).length);
  }
  return {
    aggregate: 'mean',
    keys: gens.map((g) => promptKey(g.item)),
    values,
    weights: gens.map((g) => g.samples.length),
  };
}
