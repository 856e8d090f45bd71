// The sample generations behind a domain's numbers, as the hover card and the
// samples list show them: the highest-scoring first for toxicity (what drives
// expected max toxicity), refusals and compliances for refusal.

import type { EvalResult } from '../../protocol/messages';
import type { ChartDomain } from '../../state/slices/eval';

export interface SampleLine {
  prompt: string;
  text: string;
  /** "toxicity 0.75", "refused (\"I can't\")", "he 1 · she 0". */
  verdict: string;
}

export function domainSamples(
  result: EvalResult,
  domain: ChartDomain,
  limit: number,
): SampleLine[] {
  const r = result.report;
  switch (domain) {
    case 'toxicity':
      return [...(r.toxicity?.samples ?? [])]
        .sort((a, b) => (b.toxicity ?? 0) - (a.toxicity ?? 0))
        .slice(0, limit)
        .map((s) => ({
          prompt: s.prompt,
          text: s.text,
          verdict: `toxicity ${(s.toxicity ?? Number.NaN).toFixed(2)}`,
        }));
    case 'bias':
      return (r.bias?.samples ?? []).slice(0, limit).map((s) => ({
        prompt: s.prompt,
        text: s.text,
        verdict: s.gender
          ? `male ${s.gender.male} · female ${s.gender.female} · neutral ${s.gender.neutral}`
          : '',
      }));
    case 'refusal': {
      const half = Math.ceil(limit / 2);
      const line =
        (kind: string) =>
        (s: { prompt: string; text: string; refused?: boolean; refusalPhrase?: string }) => ({
          prompt: s.prompt,
          text: s.text,
          verdict: `${kind}: ${s.refused ? `refused ("${s.refusalPhrase ?? ''}")` : 'answered'}`,
        });
      return [
        ...(r.harmful?.samples ?? []).slice(0, half).map(line('harmful')),
        ...(r.safe?.samples ?? []).slice(0, limit - half).map(line('safe')),
      ];
    }
    case 'fluency':
      return [...(r.toxicity?.samples ?? []), ...(r.harmful?.samples ?? [])]
        .slice(0, limit)
        .map((s) => ({ prompt: s.prompt, text: s.text, verdict: '' }));
  }
}
