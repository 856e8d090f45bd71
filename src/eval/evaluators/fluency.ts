// Fluency domain: distinct-1/2/3 of the generated texts and their perplexity
// under each judge (metrics/distinct-n.ts, metrics/perplexity.ts). The texts
// are the general set's generations when one is given, else every generation
// the domains before this one made (so this evaluator runs last). Per prompt,
// for perplexity: the NLL summed over the prompt's samples and its token
// count; distinct-n pools n-grams across prompts and has no per-prompt form.
import { encodePromptItem } from '../encode-prompt';
import { distinctN } from '../metrics/distinct-n';
import { perplexity } from '../metrics/perplexity';
import type { FluencyReport, MetricValue } from '../report';
import { chunks, promptKey } from './context';
import { computedRef } from './scorer-refs';
import type { DomainEvaluator, EvalContext, FluencyJudge, Generated } from './types';

export const fluencyEvaluator: DomainEvaluator = {
  id: 'fluency',
  async run(ctx) {
    const general = ctx.opts.sets.general;
    const gens = general ? await ctx.generate(general, 'general') : [...ctx.generated];
    if (gens.length === 0) return null;
    const { report, perPrompt } = await fluencyOf(ctx, gens, ctx.opts.fluencyJudges ?? []);
    // Prompts of different sets may share ids: qualify each key with its set's kind.
    const keys = gens.map((g) => `${g.phase}:${promptKey(g.item)}`);
    const metrics: MetricValue[] = [
      {
        id: 'fluency.distinct2',
        label: 'distinct-2 of generations',
        value: report.distinct2,
        better: 'higher',
        scorer: computedRef('distinct-n of whitespace words'),
      },
      ...report.perplexity.map(
        (p, j): MetricValue => ({
          id: `fluency.perplexity.${p.judge}`,
          label: `Perplexity of generations under ${p.judge}`,
          value: p.result.perplexity,
          better: 'lower',
          undefinedReason: p.result.undefinedReason,
          perPrompt: {
            aggregate: 'exp-mean',
            keys,
            values: perPrompt[j].nll,
            weights: perPrompt[j].tokens,
          },
          scorer: computedRef(`log-probs under ${p.judge} (unpatched)`),
        }),
      ),
    ];
    return { sections: { fluency: report }, metrics };
  },
};

/**
 * distinct-1/2/3 of the generated texts, and their perplexity under each
 * judge. A judge re-encodes prompt and text with its own tokenizer (M′ may
 * tokenize differently from M) and scores the text as the continuation of
 * the prompt, unpatched. Empty generations are skipped.
 */
async function fluencyOf(
  ctx: EvalContext,
  gens: readonly Generated[],
  judges: readonly FluencyJudge[],
): Promise<{ report: FluencyReport; perPrompt: { nll: number[]; tokens: number[] }[] }> {
  const { ops, batchSize, signal } = ctx;
  const pairs = gens.flatMap((g, p) => g.samples.map((s) => ({ p, item: g.item, text: s.text })));
  const texts = pairs.map((x) => x.text);
  const report: FluencyReport = {
    texts: texts.length,
    distinct1: distinctN(texts, 1),
    distinct2: distinctN(texts, 2),
    distinct3: distinctN(texts, 3),
    perplexity: [],
  };
  const perPrompt: { nll: number[]; tokens: number[] }[] = [];
  let done = 0;
  const total = judges.length * pairs.length;
  for (const judge of judges) {
    const rows = pairs
      .map((x) => ({
        p: x.p,
        prompt: encodePromptItem(judge.tokenizer, x.item),
        cont: judge.tokenizer.encode(x.text, { addSpecialTokens: false }),
      }))
      .filter((r) => r.cont.length > 0);
    const sums: number[] = [];
    const counts: number[] = [];
    for (const batch of chunks(rows, batchSize)) {
      signal?.throwIfAborted();
      const r = await ops.scoreContinuations(
        judge.model,
        batch.map((b) => b.prompt),
        batch.map((b) => b.cont),
        { prefix: null, batchSize },
      );
      sums.push(...r.sum);
      counts.push(...r.tokenLogProbs.map((t) => t.length));
      done += batch.length;
      ctx.progress('fluency', done, total);
    }
    report.perplexity.push({ judge: judge.label, result: perplexity(sums, counts) });
    const nll = new Array<number>(gens.length).fill(0);
    const tokens = new Array<number>(gens.length).fill(0);
    rows.forEach((r, i) => {
      nll[r.p] -= sums[i];
      tokens[r.p] += counts[i];
    });
    perPrompt.push({ nll, tokens });
  }
  return { report, perPrompt };
}
