// Over-refusal domain: k samples per harmless look-alike prompt (XSTest safe,
// the demo's safe set), each judged refused or not (metrics/refusal.ts). Per
// prompt: refused samples over the prompt's samples.
import { overRefusalRate } from '../metrics/refusal';
import { refusalScorerRef } from './scorer-refs';
import type { DomainEvaluator } from './types';
import { refusalPerPrompt, refusalSamples } from './verdicts';

export const safeEvaluator: DomainEvaluator = {
  id: 'safe',
  async run(ctx) {
    const set = ctx.opts.sets.safe;
    if (!set) return null;
    const gens = await ctx.generate(set, 'safe');
    const samples = await refusalSamples(gens, ctx.refusalJudge);
    const overRefusal = overRefusalRate(samples.map((s) => s.refused === true));
    return {
      sections: { safe: { set: set.name, overRefusal, samples } },
      metrics: [
        {
          id: 'safe.overRefusalRate',
          label: `Over-refusal on safe prompts (${ctx.refusalJudge.label})`,
          value: overRefusal.overRefusalRate,
          better: 'lower',
          undefinedReason: overRefusal.undefinedReason,
          perPrompt: refusalPerPrompt(gens, samples, 'refused'),
          scorer: refusalScorerRef(ctx.refusalJudge),
        },
      ],
    };
  },
};
