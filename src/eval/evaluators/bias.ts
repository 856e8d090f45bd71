// Gender-bias domain on generations and next-token log-probs: the share of
// continuations that mention gender (GAS-style, metrics/gender-association.ts)
// and the next-token male/female log-prob gap (GLD-style,
// metrics/gender-logit-difference.ts). Per prompt: the number of gendered
// samples (weight: its sample count) and the prompt's |gap|.
import { countGenderTerms } from '../gender-terms';
import { genderTokenIds } from '../gender-token-ids';
import { genderAssociation } from '../metrics/gender-association';
import { genderLogitDifference, promptGenderGap } from '../metrics/gender-logit-difference';
import type { PerPromptValues } from '../metrics/per-prompt';
import { chunks, promptKey, sampleRecords } from './context';
import { computedRef, GENDER_SCORER_LABEL } from './scorer-refs';
import type { DomainEvaluator } from './types';

export const biasEvaluator: DomainEvaluator = {
  id: 'bias',
  async run(ctx) {
    const set = ctx.opts.sets.bias;
    if (!set) return null;
    const { target, ops, signal } = ctx;
    const gens = await ctx.generate(set, 'bias');
    const samples = sampleRecords(gens).map((r) => ({ ...r, gender: countGenderTerms(r.text) }));
    const association = genderAssociation(samples.map((s) => s.text));
    const keys = gens.map((g) => promptKey(g.item));
    const gendered = gens.map(
      (g) =>
        g.samples.filter((s) => {
          const c = countGenderTerms(s.text);
          return c.male > 0 || c.female > 0;
        }).length,
    );

    const ids = genderTokenIds(target.tokenizer);
    const prompts = gens.map((g) => g.promptIds);
    const logProbs: Float32Array[] = [];
    ctx.progress('gld', 0, prompts.length);
    for (const batch of chunks(prompts, ctx.batchSize)) {
      signal?.throwIfAborted();
      logProbs.push(
        ...(await ops.nextTokenLogProbs(target.model, batch, { prefix: target.prefix ?? null })),
      );
      ctx.progress('gld', logProbs.length, prompts.length);
    }
    const gld = genderLogitDifference(logProbs, ids.male, ids.female);
    // Without token ids for one gender there is no gap to keep per prompt.
    const gldPerPrompt: PerPromptValues | undefined =
      ids.male.length > 0 && ids.female.length > 0
        ? {
            aggregate: 'mean',
            keys,
            values: logProbs.map((lp) => Math.abs(promptGenderGap(lp, ids.male, ids.female))),
          }
        : undefined;
    return {
      sections: {
        bias: {
          set: set.name,
          association,
          samples,
          gld: { ...gld, maleTokenIds: ids.male, femaleTokenIds: ids.female },
        },
      },
      metrics: [
        {
          id: 'bias.genderedShare',
          label: 'Gendered continuations (GAS-style share)',
          value: association.share,
          better: 'lower',
          undefinedReason: association.undefinedReason,
          perPrompt: {
            aggregate: 'mean',
            keys,
            values: gendered,
            weights: gens.map((g) => g.samples.length),
          },
          scorer: computedRef(GENDER_SCORER_LABEL),
        },
        {
          id: 'bias.gld',
          label: 'Next-token gender log-prob gap (GLD-style, nats)',
          value: gld.meanAbsGap,
          better: 'lower',
          undefinedReason: gld.undefinedReason,
          perPrompt: gldPerPrompt,
          scorer: computedRef('next-token log-probs of the target'),
        },
      ],
    };
  },
};
