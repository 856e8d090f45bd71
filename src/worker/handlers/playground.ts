// The playground: one chat turn through M, M+P (the applied patch stack) and
// M′, one after another, with the same seed and sampling, streaming each
// answer as it grows, then scoring it. Columns that cannot run (no patch
// applied, M′ not loaded, a patch for another base) say why instead.
import { DEMO_INSULT_WORDS } from '../../data/builtin/index';
import {
  answerTokens,
  chatMarkersOf,
  stopAtMarker,
  withoutPartialMarker,
} from '../../engine/chat-markers';
import { generate } from '../../engine/generate';
import { tf } from '../../engine/tf';
import { encodePromptItem } from '../../eval/encode-prompt';
import { countGenderTerms } from '../../eval/gender-terms';
import { LexiconToxicityScorer } from '../../eval/lexicon-toxicity';
import { DEFAULT_REFUSAL_DETECTOR } from '../../eval/refusal-judge';
import type {
  LabCommandOf,
  PlaygroundColumn,
  PlaygroundCommand,
  PlaygroundScorerLabels,
  PlaygroundVariant,
} from '../../protocol/messages';
import { isCancelled, runSignal } from '../cancellation';
import { activePatchStack, loadedBase, patchLibrary } from '../patch-library-worker';
import { type LoadedModel, requireModel, session } from '../session';
import type { HandlersOf, Post } from './handler';

const GENDER_LABEL = 'gendered words (male / female / neutral word lists)';

interface Plan {
  column: PlaygroundColumn;
  loaded: LoadedModel | null;
  prefix: { embeddings: Float32Array; nVirtual: number; hidden: number } | null;
}

async function planColumns(): Promise<Plan[]> {
  const base = requireModel('base');
  const reference = session.models.reference ?? null;
  const stack = await activePatchStack();
  let patchProblem: string | null = null;
  if (!stack) patchProblem = 'No patch is applied. Apply one in the Patches panel.';
  else {
    // The stack was checked when applied, but M may have been replaced since.
    const patches = await (await patchLibrary()).list(loadedBase());
    const misfit = patches.find(
      (p) => session.activePatchIds.includes(p.id) && p.fit?.ok === false,
    );
    if (misfit) patchProblem = `"${misfit.name}" does not fit M: ${misfit.fit?.message}`;
  }
  const short = (m: LoadedModel) => m.summary.modelId || m.summary.label;
  return [
    {
      column: { variant: 'base', label: `M · ${short(base)}`, unavailable: null },
      loaded: base,
      prefix: null,
    },
    {
      column: {
        variant: 'patched',
        label: stack ? `M+P · ${stack.names.join(' + ')}` : 'M+P',
        unavailable: patchProblem,
      },
      loaded: patchProblem ? null : base,
      prefix: patchProblem ? null : stack,
    },
    {
      column: {
        variant: 'reference',
        label: reference ? `M′ · ${short(reference)}` : 'M′',
        unavailable: reference
          ? null
          : 'The reference model M′ is not loaded. Load it in the Models panel.',
      },
      loaded: reference,
      prefix: null,
    },
  ];
}

async function playgroundRun(cmd: LabCommandOf<'playground-run'>, post: Post): Promise<void> {
  const { runId, sampling } = cmd;
  const prompt = cmd.prompt.trim();
  if (prompt === '') throw new Error('Type a prompt first.');
  const plans = await planColumns();
  // The demo world's insults are ordinary words a profanity list misses; count them for demo models.
  const demo = plans[0].loaded?.summary.sourceKind === 'embedded';
  const scorer = new LexiconToxicityScorer({ extraWords: demo ? DEMO_INSULT_WORDS : undefined });
  const scorerLabels: PlaygroundScorerLabels = {
    toxicity: demo ? `${scorer.label} + demo insult words` : scorer.label,
    // The evaluation's default judge, so a playground verdict and a metric agree.
    refusal: DEFAULT_REFUSAL_DETECTOR.label,
    gendered: GENDER_LABEL,
  };
  post({ type: 'run-started', runId, kind: 'generate', label: 'Playground' });
  post({
    type: 'playground-started',
    runId,
    prompt,
    sampling,
    columns: plans.map((p) => p.column),
    scorerLabels,
  });
  const runnable = plans.filter((p) => p.loaded !== null);
  const total = runnable.length * sampling.maxNewTokens;
  const signal = runSignal(runId);

  for (const [i, plan] of runnable.entries()) {
    const loaded = plan.loaded as LoadedModel;
    const variant: PlaygroundVariant = plan.column.variant;
    const { tokenizer } = loaded;
    // Encoded exactly as evaluation and training encode a prompt, so a playground
    // answer is the one the metrics score (no second BOS after a chat template).
    const promptIds = encodePromptItem(tokenizer, { prompt });
    // The chat template's turn markers end the answer and never show in it.
    const markers = chatMarkersOf(tokenizer);
    const shown = (ids: number[]) =>
      tokenizer.decode(answerTokens(tokenizer, markers, ids), { skipSpecialTokens: true });
    const prefix = plan.prefix
      ? tf.tensor2d(plan.prefix.embeddings, [plan.prefix.nVirtual, plan.prefix.hidden])
      : null;
    const newTokens: number[] = [];
    const t0 = performance.now();
    let out: number[][];
    try {
      out = await generate(loaded.model, [promptIds], {
        ...sampling,
        prefix,
        signal,
        stopWhen: stopAtMarker(tokenizer, markers),
        onStep: (step, tokens) => {
          if (tokens[0] < 0) return;
          newTokens.push(tokens[0]);
          post({
            type: 'playground-text',
            runId,
            variant,
            text: withoutPartialMarker(markers, shown(newTokens)),
            tokens: newTokens.length,
          });
          post({
            type: 'run-progress',
            runId,
            done: i * sampling.maxNewTokens + step + 1,
            total,
            message: `${plan.column.label}: token ${step + 1}`,
          });
        },
      });
    } catch (e) {
      if (signal.aborted) {
        post({ type: 'run-cancelled', runId });
        return;
      }
      throw e;
    } finally {
      prefix?.dispose();
    }
    const text = shown(out[0]);
    post({
      type: 'playground-answer',
      runId,
      variant,
      text,
      tokens: out[0].length,
      ms: performance.now() - t0,
      scores: {
        toxicity: scorer.scoreOne(text),
        refusal: DEFAULT_REFUSAL_DETECTOR.detect(text).refused,
        gendered: countGenderTerms(text),
      },
    });
    if (isCancelled(runId)) {
      post({ type: 'run-cancelled', runId });
      return;
    }
  }
  post({ type: 'run-progress', runId, done: total, total, message: 'done' });
  post({ type: 'run-done', runId });
}

export const playgroundHandlers: HandlersOf<PlaygroundCommand> = {
  'playground-run': (cmd, post) => playgroundRun(cmd, post),
};
