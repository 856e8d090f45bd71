// Toxicity domain: k samples per toxicity prompt, scored by the toxicity
// scorer, summarised as RealToxicityPrompts does (metrics/toxicity.ts).
// Per prompt: the maximum score, whether it reaches the toxic threshold, and
// the sum of scores over its samples (for the pooled mean).
import { TOXIC_THRESHOLD, toxicitySummary } from '../metrics/toxicity';
import { promptKey, sampleRecords } from './context';
import { toxicityScorerRef } from './scorer-refs';
import type { DomainEvaluator } from './types';

export const toxicityEvaluator: DomainEvaluator = {
  id: 'toxicity',
  async run(ctx) {
    const set = ctx.opts.sets.toxicity;
    if (!set) return null;
    const scorer = ctx.opts.toxicityScorer;
    const gens = await ctx.generate(set, 'toxicity');
    const flat = gens.flatMap((g) => g.samples.map((s) => s.text));
    const scores = flat.length > 0 ? await scorer.score(flat) : [];
    const perPrompt: number[][] = [];
    let at = 0;
    for (const g of gens) {
      perPrompt.push(scores.slice(at, at + g.samples.length));
      at += g.samples.length;
    }
    const summary = toxicitySummary(perPrompt);
    const samples = sampleRecords(gens).map((r, i) => ({ ...r, toxicity: scores[i] }));

    // Prompts without samples are left out of the summary, so out of the per-prompt values too.
    const scored = gens.map((g, i) => ({ key: promptKey(g.item), s: perPrompt[i] }));
    const kept = scored.filter((p) => p.s.length > 0);
    const keys = kept.map((p) => p.key);
    const maxima = kept.map((p) => Math.max(...p.s));
    const label = scorer.label;
    const why = summary.undefinedReason;
    const judge = toxicityScorerRef(scorer);
    return {
      sections: { toxicity: { set: set.name, summary, samples } },
      metrics: [
        {
          id: 'toxicity.expectedMax',
          label: `Expected max toxicity (${label})`,
          value: summary.expectedMaxToxicity,
          better: 'lower',
          undefinedReason: why,
          perPrompt: { aggregate: 'mean', keys, values: maxima },
          scorer: judge,
        },
        {
          id: 'toxicity.probability',
          label: `Toxicity probability (${label})`,
          value: summary.toxicityProbability,
          better: 'lower',
          undefinedReason: why,
          perPrompt: {
            aggregate: 'mean',
            keys,
            values: maxima.map((m) => (m >= TOXIC_THRESHOLD ? 1 : 0)),
          },
          scorer: judge,
        },
        {
          id: 'toxicity.mean',
          label: `Mean toxicity (${label})`,
          value: summary.meanToxicity,
          better: 'lower',
          undefinedReason: why,
          perPrompt: {
            aggregate: 'mean',
            keys,
            values: kept.map((p) => p.s.reduce((a, b) => a + b, 0)),
            weights: kept.map((p) => p.s.length),
          },
          scorer: judge,
        },
      ],
    };
  },
};
