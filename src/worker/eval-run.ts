// One evaluation in the worker: resolves the target (M, M+P, M′, M+R) and the
// sets, picks the toxicity scorer (classifier, or the lexicon with the
// reason), runs src/eval/evaluate.ts with the engine's generate/score, turns
// its progress into one overall progress bar, and stops when the run is
// cancelled. The report goes back as plain data (EvalResult).
import { DEMO_INSULT_WORDS } from '../data/builtin/index';
import { formatBytes } from '../engine/format-bytes';
import { generate } from '../engine/generate';
import { nextTokenLogProbs, scoreContinuations } from '../engine/score';
import { tf } from '../engine/tf';
import { type EngineOps, type EvalPhase, evaluate, type FluencyJudge } from '../eval/evaluate';
import { type ChosenRefusalJudge, createRefusalJudge } from '../eval/refusal-classifier';
import { DEFAULT_REFUSAL_DETECTOR, REFUSAL_DETECTORS } from '../eval/refusal-judge';
import type { Scorer } from '../eval/scorer';
import { createToxicityScorer } from '../eval/toxicity-scorer';
import { DEFAULT_CONTROL_SEED, DEFAULT_CONTROL_SHAPE } from '../protocol/eval-defaults';
import type {
  EvalConfig,
  EvalControlShape,
  EvalResult,
  EvalScorerInfo,
  EvalTargetKind,
  RefusalJudgeChoice,
  RunId,
  ToxicityScorerChoice,
} from '../protocol/messages';
import { runSignal } from './cancellation';
import { evalConfigKey, stableStringify } from './eval-config-key';
import {
  type BuiltControl,
  buildControl,
  type ControlTemplate,
  embeddingScaleTemplate,
} from './eval-control';
import { resolveEvalSets } from './eval-sets';
import type { Post } from './handlers/handler';
import { activePatchStack } from './patch-library-worker';
import { type LoadedModel, requireModel, session } from './session';

const ENGINE: EngineOps = { generate, scoreContinuations, nextTokenLogProbs };

// A classifier costs seconds (or a download) to load: keep each one once per worker.
const scorers = new Map<string, Promise<{ scorer: Scorer; info: EvalScorerInfo }>>();

/** How the run that asks for a classifier follows its download. */
interface ClassifierLoad {
  signal: AbortSignal;
  onProgress: (file: string, loaded: number, total: number | null) => void;
}

/**
 * One load per key per worker. The run that first asks downloads: its signal
 * cancels the download and its progress bar shows the bytes. A failure (not a
 * fallback, which resolves) or a cancel is dropped, so the next run starts afresh.
 */
function loadOnce<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>) {
  let p = cache.get(key);
  if (!p) {
    p = make();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

function scorerFor(
  choice: ToxicityScorerChoice,
  demoWords: boolean,
  load: ClassifierLoad,
): Promise<{ scorer: Scorer; info: EvalScorerInfo }> {
  return loadOnce(scorers, `${stableStringify(choice)}|${demoWords}`, () =>
    createToxicityScorer({
      classifierModel: choice.kind === 'classifier' ? choice.modelId : null,
      allowRemote: choice.kind === 'classifier' && choice.allowRemote,
      // The demo world's insults are ordinary words ("fool", "clown") that a
      // general profanity list misses; count them when the demo sets are used.
      extraWords: demoWords ? DEMO_INSULT_WORDS : undefined,
      signal: load.signal,
      onProgress: (p) => load.onProgress(p.file, p.loaded, p.total),
    }).then(({ scorer, kind, reason }) => ({
      scorer,
      info: {
        kind,
        label: scorer.label,
        reason,
        fellBack: choice.kind === 'classifier' && kind === 'lexicon',
      },
    })),
  );
}

const choiceName = (c: ToxicityScorerChoice) => (c.kind === 'classifier' ? c.modelId : 'lexicon');

const refusalJudges = new Map<string, Promise<ChosenRefusalJudge>>();

/** The refusal judge a config asks for; a classifier is loaded once per worker, like the toxicity one. */
function refusalJudgeFor(
  choice: RefusalJudgeChoice | undefined,
  load: ClassifierLoad,
): Promise<ChosenRefusalJudge> {
  if (!choice || choice.kind === 'rule') {
    // Own keys only: an id such as "constructor" names no rule.
    const judge =
      choice && Object.hasOwn(REFUSAL_DETECTORS, choice.id)
        ? REFUSAL_DETECTORS[choice.id]
        : DEFAULT_REFUSAL_DETECTOR;
    return Promise.resolve({ judge, kind: 'rule', reason: `rule: ${judge.label}` });
  }
  return loadOnce(refusalJudges, stableStringify(choice), () =>
    createRefusalJudge({
      classifierModel: choice.modelId,
      allowRemote: choice.allowRemote,
      signal: load.signal,
      onProgress: (x) => load.onProgress(x.file, x.loaded, x.total),
    }),
  );
}

export interface ResolvedTarget {
  kind: EvalTargetKind;
  /** "M", "M+P", "M′" or "M+R", the short name charts and reports use. */
  short: string;
  modelLabel: string;
  loaded: LoadedModel;
  /** Patch rows for M+P; the caller owns (and disposes) it. */
  prefix: tf.Tensor2D | null;
  /** Whether this function made `prefix` (and so must dispose it). */
  ownsPrefix: boolean;
  /** For M+R: how its rows were made. */
  control?: BuiltControl;
}

/** The control's seed under these settings. */
export function controlSeed(config: EvalConfig): number {
  return config.control?.seed ?? DEFAULT_CONTROL_SEED;
}

/**
 * What M+R copies: the applied patch stack's length and row norms, or
 * without one `shape.nVirtual` rows at M's mean embedding row norm.
 */
export async function controlTemplate(
  loaded: LoadedModel,
  shape: EvalControlShape = DEFAULT_CONTROL_SHAPE,
): Promise<ControlTemplate> {
  const hidden = loaded.config.hiddenSize;
  const stack = await activePatchStack();
  if (stack && stack.hidden === hidden) {
    return { rows: stack.embeddings, n: stack.nVirtual, hidden, from: 'patch' };
  }
  const mean = tf.tidy(() => loaded.model.embeddingMatrix().square().sum(1).sqrt().mean());
  const norm = (await mean.data())[0];
  mean.dispose();
  return embeddingScaleTemplate(Math.max(1, Math.floor(shape.nVirtual)), hidden, norm);
}

/** The model (and for M+P the patch) an evaluation runs, or a plain error saying what to do. */
export async function resolveTarget(
  kind: EvalTargetKind,
  givenPrefix: tf.Tensor2D | null,
  patchLabel: string | null,
  control: { template: ControlTemplate; seed: number } | null = null,
): Promise<ResolvedTarget> {
  if (kind === 'reference') {
    const loaded = requireModel('reference');
    return {
      kind,
      short: 'M′',
      modelLabel: `M′ · ${loaded.summary.label}`,
      loaded,
      prefix: null,
      ownsPrefix: false,
    };
  }
  const loaded = requireModel('base');
  if (kind === 'base') {
    return {
      kind,
      short: 'M',
      modelLabel: `M · ${loaded.summary.label}`,
      loaded,
      prefix: null,
      ownsPrefix: false,
    };
  }
  if (kind === 'control') {
    if (!control) throw new Error('M+R needs its template (controlTemplate) and seed.');
    const built = buildControl(control.template, control.seed);
    const what =
      control.template.from === 'patch' ? 'shaped like the applied patch' : 'at the embedding norm';
    return {
      kind,
      short: 'M+R',
      modelLabel: `M+R · random patch, untrained (${built.info.n} rows ${what}, seed ${control.seed})`,
      loaded,
      prefix: tf.tensor2d(built.rows, [built.info.n, built.info.hidden]),
      ownsPrefix: true,
      control: built,
    };
  }
  if (givenPrefix) {
    return {
      kind,
      short: 'M+P',
      modelLabel: `M+P · ${patchLabel ?? 'training patch'}`,
      loaded,
      prefix: givenPrefix,
      ownsPrefix: false,
    };
  }
  const stack = await activePatchStack();
  if (!stack) {
    throw new Error(
      'No patch is applied to M. Apply one in the Patches panel, or train one (M+P is evaluated during training).',
    );
  }
  if (stack.hidden !== loaded.config.hiddenSize) {
    throw new Error(
      `The applied patch has width ${stack.hidden} but M's hidden size is ${loaded.config.hiddenSize}. Apply a patch made for this base model.`,
    );
  }
  return {
    kind,
    short: 'M+P',
    modelLabel: `M+P · ${stack.names.join(' + ')}`,
    loaded,
    prefix: tf.tensor2d(stack.embeddings, [stack.nVirtual, stack.hidden]),
    ownsPrefix: true,
  };
}

/** Rows each phase will process, so one progress bar can span all phases. */
export function phaseTotals(
  sizes: Partial<Record<'toxicity' | 'bias' | 'harmful' | 'safe' | 'general', number>>,
  k: number,
  crowsPairs: number,
  judges: number,
): Record<EvalPhase, number> {
  const gen = (n: number | undefined) => (n ?? 0) * k;
  const generated = gen(sizes.toxicity) + gen(sizes.bias) + gen(sizes.harmful) + gen(sizes.safe);
  return {
    toxicity: gen(sizes.toxicity),
    bias: gen(sizes.bias),
    gld: sizes.bias ?? 0,
    'crows-pairs': 2 * crowsPairs,
    harmful: gen(sizes.harmful),
    safe: gen(sizes.safe),
    general: gen(sizes.general),
    fluency: judges * (sizes.general ? gen(sizes.general) : generated),
  };
}

const PHASE_WORDS: Record<EvalPhase, string> = {
  toxicity: 'toxicity prompts',
  bias: 'bias prompts',
  gld: 'gender next-token log-probs',
  'crows-pairs': 'CrowS-Pairs sentences',
  harmful: 'harmful prompts',
  safe: 'safe prompts',
  general: 'general prompts',
  fluency: 'fluency (perplexity under M′)',
};

/** One progress report of an evaluation: `loading` for classifier loads and downloads, else rows. */
export interface EvalProgress {
  done: number;
  total: number;
  message: string;
  loading: boolean;
}

export interface RunEvaluationArgs {
  runId: RunId;
  target: ResolvedTarget;
  config: EvalConfig;
  step: number | null;
  trainRunId: RunId | null;
  post: Post;
  /**
   * Where progress goes instead of the run's own bar: a job made of several
   * evaluations (the composition report) maps each onto one overall bar.
   */
  onProgress?: (p: EvalProgress) => void;
}

/**
 * The rows one evaluation under `config` processes (generated samples,
 * log-prob rows, fluency rows): the units of its progress bar. The same for
 * every target, so a job of n evaluations has n times as many.
 */
export function evaluationUnits(config: EvalConfig): number {
  const totals = configPhaseTotals(
    config,
    resolveEvalSets(config),
    session.models.reference ? 1 : 0,
  );
  return Object.values(totals).reduce((a, b) => a + b, 0);
}

/** Samples per prompt under `config` (greedy decoding gives one). */
const samplesPerPrompt = (config: EvalConfig) =>
  config.sampling.temperature <= 0 ? 1 : Math.max(1, Math.floor(config.k));

function configPhaseTotals(
  config: EvalConfig,
  sets: ReturnType<typeof resolveEvalSets>,
  judges: number,
): Record<EvalPhase, number> {
  return phaseTotals(
    Object.fromEntries(Object.entries(sets).map(([kind, s]) => [kind, s.items.length])),
    samplesPerPrompt(config),
    config.crowsPairs?.pairs.length ?? 0,
    judges,
  );
}

/** Runs one evaluation and returns its result; throws (AbortError) when the run is cancelled. */
export async function runEvaluation(args: RunEvaluationArgs): Promise<EvalResult> {
  const { runId, target, config, post } = args;
  const sets = resolveEvalSets(config);
  if (Object.keys(sets).length === 0 && !config.crowsPairs) {
    throw new Error('Every evaluation set is switched off: choose at least one in the settings.');
  }
  const demoWords = config.sets.toxicity.source === 'builtin';
  const progress =
    args.onProgress ??
    ((p: EvalProgress) =>
      post({ type: 'run-progress', runId, done: p.done, total: p.total, message: p.message }));
  progress({
    loading: true,
    done: 0,
    total: 1,
    message:
      config.scorer.kind === 'classifier'
        ? `Loading the toxicity classifier ${config.scorer.modelId}…`
        : 'Preparing the lexicon scorer…',
  });
  const signal = runSignal(runId);
  const downloading = (what: string) => (file: string, loaded: number, total: number | null) =>
    progress({
      loading: true,
      done: total ? loaded : 0,
      total: total ?? 0,
      message: `Downloading ${what}: ${file} (${formatBytes(loaded)}${total ? ` of ${formatBytes(total)}` : ''})`,
    });
  const { scorer, info } = await scorerFor(config.scorer, demoWords, {
    signal,
    onProgress: downloading(choiceName(config.scorer)),
  });
  const refusal = await refusalJudgeFor(config.refusal, {
    signal,
    onProgress: downloading(config.refusal?.kind === 'classifier' ? config.refusal.modelId : ''),
  });

  const reference = session.models.reference;
  const judges: FluencyJudge[] = reference
    ? [{ label: 'M′', model: reference.model, tokenizer: reference.tokenizer }]
    : [];
  const k = samplesPerPrompt(config);
  const totals = configPhaseTotals(config, sets, judges.length);
  const grand = Object.values(totals).reduce((a, b) => a + b, 0);
  const finished = new Set<EvalPhase>();
  let current: EvalPhase | null = null;

  const report = await evaluate({
    target: {
      label: target.short,
      kind: target.kind,
      ...(target.control ? { control: target.control.info } : {}),
      model: target.loaded.model,
      tokenizer: target.loaded.tokenizer,
      prefix: target.prefix,
    },
    sets,
    crowsPairs: config.crowsPairs ?? undefined,
    sampling: config.sampling,
    k,
    toxicityScorer: scorer,
    refusalJudge: refusal.judge,
    fluencyJudges: judges,
    signal,
    ops: ENGINE,
    onProgress: ({ phase, done, total }) => {
      if (current && current !== phase) finished.add(current);
      current = phase;
      let before = 0;
      for (const p of finished) before += totals[p];
      progress({
        loading: false,
        done: Math.min(grand, before + Math.min(done, totals[phase])),
        total: grand,
        message: `${target.short}: ${PHASE_WORDS[phase]} ${done}/${total}`,
      });
    },
  });
  return {
    target: target.kind,
    modelLabel: target.modelLabel,
    modelFingerprint: target.loaded.summary.embeddingFingerprint,
    configKey: evalConfigKey(config),
    step: args.step,
    trainRunId: args.trainRunId,
    cached: false,
    scorer: info,
    refusalJudge: {
      kind: refusal.kind,
      label: refusal.judge.label,
      reason: refusal.reason,
      fellBack: config.refusal?.kind === 'classifier' && refusal.kind === 'rule',
    },
    report,
    computedAt: new Date().toISOString(),
    ...(target.control ? { control: target.control.source } : {}),
  };
}
