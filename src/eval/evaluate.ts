// The evaluation runner: generates k samples per prompt for each domain's
// eval set with a model (optionally patched), scores them, and assembles an
// EvalReport. Run it once each for M, M+P and M′ on the same sets and
// sampling settings to compare them. The engine calls are injectable
// (`ops`, default the real engine) so the runner can be tested without a
// transformer.
import type { PromptItem, PromptSet, SentencePairSet } from '../data/types';
import { generate } from '../engine/generate';
import { nextTokenLogProbs, scoreContinuations } from '../engine/score';
import type { tf } from '../engine/tf';
import type {
  CausalLM,
  GenerateOptions,
  SamplingOptions,
  ScoreResult,
  TextTokenizer,
} from '../engine/types';
import { encodePromptItem } from './encode-prompt';
import { countGenderTerms } from './gender-terms';
import { genderTokenIds } from './gender-token-ids';
import { crowsPairsPreference } from './metrics/crows-pairs';
import { distinctN } from './metrics/distinct-n';
import { genderAssociation } from './metrics/gender-association';
import { genderLogitDifference } from './metrics/gender-logit-difference';
import { perplexity } from './metrics/perplexity';
import { overRefusalRate, refusalRates } from './metrics/refusal';
import { toxicitySummary } from './metrics/toxicity';
import {
  DEFAULT_REFUSAL_LISTS,
  matchRefusal,
  type RefusalListId,
  refusalDetectorLabel,
} from './refusal';
import type { EvalReport, FluencyReport, MetricValue, SampleRecord } from './report';
import type { Scorer } from './scorer';

/** The engine functions the runner needs (src/engine/generate.ts, src/engine/score.ts). */
export interface EngineOps {
  generate(model: CausalLM, promptIds: number[][], options: GenerateOptions): Promise<number[][]>;
  scoreContinuations(
    model: CausalLM,
    prompts: number[][],
    continuations: number[][],
    opts?: { prefix?: tf.Tensor2D | null; batchSize?: number },
  ): Promise<ScoreResult>;
  nextTokenLogProbs(
    model: CausalLM,
    prompts: number[][],
    opts?: { prefix?: tf.Tensor2D | null },
  ): Promise<Float32Array[]>;
}

export interface EvalTarget {
  /** "M", "M+P", "M′", … */
  label: string;
  model: CausalLM;
  tokenizer: TextTokenizer;
  /** Patch rows [n, hidden]; null/undefined = unpatched. Not disposed here. */
  prefix?: tf.Tensor2D | null;
}

export interface FluencyJudge {
  label: string;
  model: CausalLM;
  tokenizer: TextTokenizer;
}

export type EvalPhase =
  | 'toxicity'
  | 'bias'
  | 'gld'
  | 'crows-pairs'
  | 'harmful'
  | 'safe'
  | 'general'
  | 'fluency';

export interface EvalProgress {
  phase: EvalPhase;
  done: number;
  total: number;
}

export interface EvaluateOptions {
  target: EvalTarget;
  sets: {
    toxicity?: PromptSet;
    bias?: PromptSet;
    harmful?: PromptSet;
    /** Harmless prompts for over-refusal (XSTest safe, demo safe). */
    safe?: PromptSet;
    /** Prompts for fluency; if absent, fluency uses all generations above. */
    general?: PromptSet;
  };
  /** Sentence pairs scored by likelihood (CrowS-Pairs). */
  crowsPairs?: SentencePairSet;
  sampling: SamplingOptions;
  /** Samples per prompt (RTP used 25); forced to 1 when temperature is 0. */
  k: number;
  toxicityScorer: Scorer;
  refusalLists?: readonly RefusalListId[];
  /** Models whose perplexity of the generations is reported (typically M′ and M). */
  fluencyJudges?: FluencyJudge[];
  /** Sequences per engine call. Default 8. */
  batchSize?: number;
  onProgress?: (p: EvalProgress) => void;
  signal?: AbortSignal;
  /** Default: the real engine (src/engine/generate.ts, src/engine/score.ts). */
  ops?: EngineOps;
}

export const ENGINE_OPS: EngineOps = { generate, scoreContinuations, nextTokenLogProbs };

interface Generated {
  item: PromptItem;
  /** Token ids of the prompt under the target's tokenizer. */
  promptIds: number[];
  samples: { ids: number[]; text: string }[];
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export async function evaluate(opts: EvaluateOptions): Promise<EvalReport> {
  const started = Date.now();
  const { target, sampling, signal } = opts;
  const ops = opts.ops ?? ENGINE_OPS;
  const batchSize = Math.max(1, opts.batchSize ?? 8);
  const k = sampling.temperature <= 0 ? 1 : Math.max(1, Math.floor(opts.k));
  const refusalLists = opts.refusalLists ?? DEFAULT_REFUSAL_LISTS;
  const progress = (phase: EvalPhase, done: number, total: number) =>
    opts.onProgress?.({ phase, done, total });

  // Rows are (prompt, sample) pairs, batched; each engine call gets its own
  // seed derived from the run's seed, so a run is reproducible.
  let call = 0;
  const generateFor = async (set: PromptSet, phase: EvalPhase): Promise<Generated[]> => {
    const gens: Generated[] = set.items.map((item) => ({
      item,
      promptIds: encodePromptItem(target.tokenizer, item),
      samples: [],
    }));
    const rows = gens.flatMap((g) => Array.from({ length: k }, () => g));
    let done = 0;
    progress(phase, 0, rows.length);
    for (const batch of chunks(rows, batchSize)) {
      signal?.throwIfAborted();
      const out = await ops.generate(
        target.model,
        batch.map((g) => g.promptIds),
        {
          ...sampling,
          seed: (sampling.seed + call++ * 0x9e3779b1) >>> 0,
          prefix: target.prefix ?? null,
          signal,
        },
      );
      batch.forEach((g, i) => {
        const ids = out[i];
        g.samples.push({ ids, text: target.tokenizer.decode(ids, { skipSpecialTokens: true }) });
      });
      done += batch.length;
      progress(phase, done, rows.length);
    }
    return gens;
  };

  const records = (gens: Generated[]): SampleRecord[] =>
    gens.flatMap((g) =>
      g.samples.map((s, j) => ({
        prompt: g.item.prompt,
        promptId: g.item.id,
        sample: j,
        text: s.text,
      })),
    );

  const toxLabel = opts.toxicityScorer.label;
  const refusalLabel = refusalDetectorLabel(refusalLists);
  const report: EvalReport = {
    label: target.label,
    patched: Boolean(target.prefix),
    sampling,
    samplesPerPrompt: k,
    scorers: {
      toxicity: toxLabel,
      refusal: refusalLabel,
      gender: 'gendered word lists (src/eval/gender-terms.ts)',
    },
    metrics: [],
    elapsedMs: 0,
  };
  const metric = (m: MetricValue) => report.metrics.push(m);
  const allGenerated: Generated[] = [];

  if (opts.sets.toxicity) {
    const set = opts.sets.toxicity;
    const gens = await generateFor(set, 'toxicity');
    allGenerated.push(...gens);
    const flat = gens.flatMap((g) => g.samples.map((s) => s.text));
    const scores = flat.length > 0 ? await opts.toxicityScorer.score(flat) : [];
    const perPrompt: number[][] = [];
    let at = 0;
    for (const g of gens) {
      perPrompt.push(scores.slice(at, at + g.samples.length));
      at += g.samples.length;
    }
    const summary = toxicitySummary(perPrompt);
    const samples = records(gens).map((r, i) => ({ ...r, toxicity: scores[i] }));
    report.toxicity = { set: set.name, summary, samples };
    const why = summary.undefinedReason;
    metric({
      id: 'toxicity.expectedMax',
      label: `Expected max toxicity (${toxLabel})`,
      value: summary.expectedMaxToxicity,
      better: 'lower',
      undefinedReason: why,
    });
    metric({
      id: 'toxicity.probability',
      label: `Toxicity probability (${toxLabel})`,
      value: summary.toxicityProbability,
      better: 'lower',
      undefinedReason: why,
    });
    metric({
      id: 'toxicity.mean',
      label: `Mean toxicity (${toxLabel})`,
      value: summary.meanToxicity,
      better: 'lower',
      undefinedReason: why,
    });
  }

  if (opts.sets.bias) {
    const set = opts.sets.bias;
    const gens = await generateFor(set, 'bias');
    allGenerated.push(...gens);
    const samples = records(gens).map((r) => ({ ...r, gender: countGenderTerms(r.text) }));
    const association = genderAssociation(samples.map((s) => s.text));
    report.bias = { set: set.name, association, samples };
    metric({
      id: 'bias.genderedShare',
      label: 'Gendered continuations (GAS-style share)',
      value: association.share,
      better: 'lower',
      undefinedReason: association.undefinedReason,
    });

    const ids = genderTokenIds(target.tokenizer);
    const prompts = gens.map((g) => g.promptIds);
    const logProbs: Float32Array[] = [];
    progress('gld', 0, prompts.length);
    for (const batch of chunks(prompts, batchSize)) {
      signal?.throwIfAborted();
      logProbs.push(
        ...(await ops.nextTokenLogProbs(target.model, batch, { prefix: target.prefix ?? null })),
      );
      progress('gld', logProbs.length, prompts.length);
    }
    const gld = genderLogitDifference(logProbs, ids.male, ids.female);
    report.bias.gld = { ...gld, maleTokenIds: ids.male, femaleTokenIds: ids.female };
    metric({
      id: 'bias.gld',
      label: 'Next-token gender log-prob gap (GLD-style, nats)',
      value: gld.meanAbsGap,
      better: 'lower',
      undefinedReason: gld.undefinedReason,
    });
  }

  if (opts.crowsPairs) {
    const pairSet = opts.crowsPairs;
    const scores = await scoreSentencePairs(target, pairSet, batchSize, ops, signal, (d, t) =>
      progress('crows-pairs', d, t),
    );
    const result = crowsPairsPreference(scores);
    report.crowsPairs = { ...result, set: pairSet.name };
    metric({
      id: 'bias.crowsPairs',
      label: 'CrowS-Pairs stereotype preference (0.5 = unbiased)',
      value: result.stereoPreference,
      better: 'closer-to-half',
      undefinedReason: result.undefinedReason,
    });
  }

  const refusalRecords = (gens: Generated[]) =>
    records(gens).map((r) => {
      const m = matchRefusal(r.text, refusalLists);
      return m ? { ...r, refused: true, refusalPhrase: m.phrase } : { ...r, refused: false };
    });

  if (opts.sets.harmful) {
    const set = opts.sets.harmful;
    const gens = await generateFor(set, 'harmful');
    allGenerated.push(...gens);
    const samples = refusalRecords(gens);
    const rates = refusalRates(samples.map((s) => s.refused));
    report.harmful = { set: set.name, rates, samples };
    metric({
      id: 'harmful.refusalRate',
      label: `Refusal rate on harmful prompts (${refusalLabel})`,
      value: rates.refusalRate,
      better: 'higher',
      undefinedReason: rates.undefinedReason,
    });
    metric({
      id: 'harmful.attackSuccessRate',
      label: `Attack success rate (${refusalLabel})`,
      value: rates.attackSuccessRate,
      better: 'lower',
      undefinedReason: rates.undefinedReason,
    });
  }

  if (opts.sets.safe) {
    const set = opts.sets.safe;
    const gens = await generateFor(set, 'safe');
    allGenerated.push(...gens);
    const samples = refusalRecords(gens);
    const overRefusal = overRefusalRate(samples.map((s) => s.refused));
    report.safe = { set: set.name, overRefusal, samples };
    metric({
      id: 'safe.overRefusalRate',
      label: `Over-refusal on safe prompts (${refusalLabel})`,
      value: overRefusal.overRefusalRate,
      better: 'lower',
      undefinedReason: overRefusal.undefinedReason,
    });
  }

  const fluencyGens = opts.sets.general
    ? await generateFor(opts.sets.general, 'general')
    : allGenerated;
  if (fluencyGens.length > 0) {
    report.fluency = await fluencyOf(
      fluencyGens,
      opts.fluencyJudges ?? [],
      batchSize,
      ops,
      signal,
      (d, t) => progress('fluency', d, t),
    );
    const f = report.fluency;
    metric({
      id: 'fluency.distinct2',
      label: 'distinct-2 of generations',
      value: f.distinct2,
      better: 'higher',
    });
    for (const p of f.perplexity) {
      metric({
        id: `fluency.perplexity.${p.judge}`,
        label: `Perplexity of generations under ${p.judge}`,
        value: p.result.perplexity,
        better: 'lower',
        undefinedReason: p.result.undefinedReason,
      });
    }
  }

  report.elapsedMs = Date.now() - started;
  return report;
}

/**
 * Log-likelihood of each sentence of each pair under the target, scored as
 * the continuation of a one-token start-of-text prompt (BOS, or EOS for
 * GPT-2-style models whose <|endoftext|> doubles as the document separator),
 * so every token of the sentence — the first included — is predicted.
 */
async function scoreSentencePairs(
  target: EvalTarget,
  pairSet: SentencePairSet,
  batchSize: number,
  ops: EngineOps,
  signal: AbortSignal | undefined,
  progress: (done: number, total: number) => void,
): Promise<{ more: number; less: number }[]> {
  const cfg = target.model.config;
  const start = cfg.bosTokenId ?? cfg.eosTokenIds[0] ?? target.tokenizer.eosTokenIds[0];
  if (start === undefined) {
    throw new Error('CrowS-Pairs scoring needs a BOS or EOS token id to start each sentence');
  }
  const sentences = pairSet.pairs.flatMap((p) => [p.more, p.less]);
  const conts = sentences.map((s) => target.tokenizer.encode(s, { addSpecialTokens: false }));
  const sums: number[] = [];
  progress(0, sentences.length);
  for (const batch of chunks(conts, batchSize)) {
    signal?.throwIfAborted();
    const r = await ops.scoreContinuations(
      target.model,
      batch.map(() => [start]),
      batch,
      { prefix: target.prefix ?? null, batchSize },
    );
    sums.push(...r.sum);
    progress(sums.length, sentences.length);
  }
  return pairSet.pairs.map((_, i) => ({ more: sums[2 * i], less: sums[2 * i + 1] }));
}

/**
 * distinct-1/2/3 of the generated texts, and their perplexity under each
 * judge. A judge re-encodes prompt and text with its own tokenizer (M′ may
 * tokenize differently from M) and scores the text as the continuation of
 * the prompt, unpatched. Empty generations are skipped.
 */
async function fluencyOf(
  gens: Generated[],
  judges: FluencyJudge[],
  batchSize: number,
  ops: EngineOps,
  signal: AbortSignal | undefined,
  progress: (done: number, total: number) => void,
): Promise<FluencyReport> {
  const pairs = gens.flatMap((g) => g.samples.map((s) => ({ item: g.item, text: s.text })));
  const texts = pairs.map((p) => p.text);
  const report: FluencyReport = {
    texts: texts.length,
    distinct1: distinctN(texts, 1),
    distinct2: distinctN(texts, 2),
    distinct3: distinctN(texts, 3),
    perplexity: [],
  };
  let done = 0;
  const total = judges.length * pairs.length;
  for (const judge of judges) {
    const rows = pairs
      .map((p) => ({
        prompt: encodePromptItem(judge.tokenizer, p.item),
        cont: judge.tokenizer.encode(p.text, { addSpecialTokens: false }),
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
      progress(done, total);
    }
    report.perplexity.push({ judge: judge.label, result: perplexity(sums, counts) });
  }
  return report;
}
