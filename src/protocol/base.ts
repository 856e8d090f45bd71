// Ids and wrappers every message uses: run ids, query ids, the model variants.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { SamplingOptions } from '../engine/types';

/** Sampling settings, one type for evaluation, the playground and generation (src/engine/types.ts). */
export type { SamplingOptions };

export type RunId = string;

/**
 * The three models the lab compares: M, M with the applied patch stack (M+P),
 * and M′. Playground columns are these; evaluation targets add the
 * random-patch control M+R (EvalTargetKind in eval.ts).
 */
export type ModelVariant = 'base' | 'patched' | 'reference';
/** Names one query (a command that only asks for data) so its answer can be matched to it. */
export type RequestId = string;

/** A message that belongs to a run: its events share the run id of the command that started it. */
export type WithRunId<T> = T & { runId: RunId };
/** A query and its answer: the answer carries the query's id, or null when the worker pushes it unasked. */
export type WithRequestId<T> = T & { requestId: RequestId };
