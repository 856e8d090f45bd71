// Harmfulness domain: k samples per harmful prompt, each judged refused or
// not; refusal rate and attack success rate (metrics/refusal.ts). Per prompt:
// refused (resp. answered) samples over the prompt's samples.
import { refusalRates } from '../metrics/refusal';
import { refusalScorerRef } from './scorer-refs';
import type { DomainEvaluator } from './types';
import { refusalPerPrompt, refusalSamples } from './verdicts';

export const harmfulEvaluator: DomainEvaluator = {
  id: 'harmful',
  async run(ctx) {
    const set = ctx.opts.sets.harmful;
    if (!set) return null;
    const gens = await ctx.generate(set, 'harmful');
    const samples = await refusalSamples(gens, ctx.refusalJudge);
    const rates = refusalRates(samples.map((s) => s.refused === true));
    const label = ctx.refusalJudge.label;
    const judge = refusalScorerRef(ctx.refusalJudge);
    return {
      sections: { harmful: { set: set.name, rates, samples } },
      metrics: [
        {
          id: 'harmful.refusalRate',
          label: `Refusal rate on harmful prompts (${label})`,
          value: rates.refusalRate,
          better: 'higher',
          undefinedReason: rates.undefinedReason,
          perPrompt: refusalPerPrompt(gens, samples, 'refused'),
          scorer: judge,
        },
        {
          id: 'harmful.attackSuccessRate',
          label: `Attack success rate (${label})`,
          value: rates.attackSuccessRate,
          better: 'lower',
          undefinedReason: rates.undefinedReason,
          perPrompt: refusalPerPrompt(gens, samples, 'answered'),
          scorer: judge,
        },
      ],
    };
  },
};
