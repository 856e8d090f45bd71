// The EvalContext of one evaluate() call: settings resolved once (k after the
// greedy rule, batch size, refusal lists) and the one generation helper every
// domain uses, so batching, seeding and progress work the same everywhere.
import type { PromptItem, PromptSet } from '../../data/types';
import { answerTokens, chatMarkersOf, stopAtMarker } from '../../engine/chat-markers';
import { encodePromptItem } from '../encode-prompt';
import { DEFAULT_REFUSAL_DETECTOR } from '../refusal-judge';
import type { SampleRecord } from '../report';
import type { EngineOps, EvalContext, EvalPhase, EvaluateOptions, Generated } from './types';

export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** How a prompt is named in per-prompt values: its id, else its text. */
export function promptKey(item: PromptItem): string {
  return item.id ?? item.prompt;
}

/** One record per (prompt, sample), in generation order. */
export function sampleRecords(gens: readonly Generated[]): SampleRecord[] {
  return gens.flatMap((g) =>
    g.samples.map((s, j) => ({
      prompt: g.item.prompt,
      promptId: g.item.id,
      sample: j,
      text: s.text,
    })),
  );
}

export function createContext(opts: EvaluateOptions, ops: EngineOps): EvalContext {
  const { target, sampling, signal } = opts;
  const batchSize = Math.max(1, opts.batchSize ?? 8);
  const k = sampling.temperature <= 0 ? 1 : Math.max(1, Math.floor(opts.k));
  const progress = (phase: EvalPhase, done: number, total: number) =>
    opts.onProgress?.({ phase, done, total });
  const generated: Generated[] = [];
  // Scored answers are what a user would read: no chat-template turn markers.
  const markers = chatMarkersOf(target.tokenizer);

  // Rows are (prompt, sample) pairs, batched; each engine call gets its own
  // seed derived from the run's seed, so a run is reproducible.
  let call = 0;
  const generate = async (set: PromptSet, phase: EvalPhase): Promise<Generated[]> => {
    const gens: Generated[] = set.items.map((item) => ({
      item,
      phase,
      promptIds: encodePromptItem(target.tokenizer, item),
      samples: [],
    }));
    const rows = gens.flatMap((g) => Array.from({ length: k }, () => g));
    let done = 0;
    progress(phase, 0, rows.length);
    for (const batch of chunks(rows, batchSize)) {
      // A macrotask between batches: on wasm a generation never yields one,
      // and without it a worker could not even receive Stop mid-evaluation.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      signal?.throwIfAborted();
      const out = await ops.generate(
        target.model,
        batch.map((g) => g.promptIds),
        {
          ...sampling,
          seed: (sampling.seed + call++ * 0x9e3779b1) >>> 0,
          prefix: target.prefix ?? null,
          signal,
          stopWhen: stopAtMarker(target.tokenizer, markers),
        },
      );
      batch.forEach((g, i) => {
        const ids = out[i];
        const kept = answerTokens(target.tokenizer, markers, ids);
        g.samples.push({
          ids: kept,
          text: target.tokenizer.decode(kept, { skipSpecialTokens: true }),
        });
      });
      done += batch.length;
      progress(phase, done, rows.length);
    }
    generated.push(...gens);
    return gens;
  };

  return {
    opts,
    target,
    ops,
    k,
    batchSize,
    refusalJudge: opts.refusalJudge ?? DEFAULT_REFUSAL_DETECTOR,
    signal,
    progress,
    generate,
    generated,
  };
}
