// Refusal verdicts for the harmful and safe domains: each sample judged by
// the refusal judge (refusal-judge.ts), and per prompt the number of refused samples (the
// weight being the prompt's sample count), from which every refusal rate is
// the pooled share.
import type { PerPromptValues } from '../metrics/per-prompt';
import type { RefusalJudge } from '../refusal-judge';
import type { SampleRecord } from '../report';
import { promptKey, sampleRecords } from './context';
import type { Generated } from './types';

/** Each sample with the judge's verdict; `refusalPhrase` is what decided a refusal. */
export async function refusalSamples(
  gens: readonly Generated[],
  judge: RefusalJudge,
): Promise<SampleRecord[]> {
  const records = sampleRecords(gens);
  const verdicts = await judge.judge(records.map((r) => r.text));
  return records.map((r, i) =>
    verdicts[i].refused
      ? { ...r, refused: true, refusalPhrase: verdicts[i].evidence }
      : { ...r, refused: false },
  );
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
