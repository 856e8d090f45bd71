// Command-line access to the engine, printing JSON:
//   npm run cli -- generate --model <dir> --prompt "..." [--patch f.patch.safetensors] [--seed N]
//                  [--max-new-tokens N] [--temperature T] [--top-k K] [--top-p P] [--chat] [--backend cpu|wasm]
//   npm run cli -- score --model <dir> --prompt "..." --continuation "..." [--patch ...]
//   npm run cli -- logits --model <dir> --ids 1,2,3
//   npm run cli -- evaluate --model <dir> --reference <dir> [--patch FILE] [--sets a.json,b.json]
//                  [--max-prompts N] [--k K] [--temperature T] [--max-new-tokens N] [--seed N]
//                  [--control-seeds 1,2,3] [--control-length N] [--resamples B]
//     M, M′, M+P and untrained random-patch controls M+R on the same prompts; prints each
//     target's metrics and the gap closed per domain with its 95 % bootstrap interval.
//   npm run cli -- export-run --model <dir> --reference <dir> --out <dir|file.zip> [--name N]
//                  [--recipe recipe.json] [--per-set N] [--model-id ID] [--reference-id ID]
//     Collects pairs on the demo's training sets as the Train panel does and writes a run
//     bundle for PyTorch + PEFT (src/train/run-bundle.ts; docs/SCALE_OUT.md).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { DEMO_INSULT_WORDS } from '../src/data/builtin/index';
import type { PromptSet } from '../src/data/types';
import { type BackendName, useBackend } from '../src/engine/backends';
import { generate } from '../src/engine/generate';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import { parseSafetensorsHeader, readTensorFloat32 } from '../src/engine/safetensors';
import { scoreContinuations } from '../src/engine/score';
import { tf } from '../src/engine/tf';
import { compareWithControls } from '../src/eval/compare';
import type { EvaluateOptions } from '../src/eval/evaluate';
import { formatGapClosed, type GapClosedEstimate } from '../src/eval/metrics/gap-closed';
import { createToxicityScorer } from '../src/eval/toxicity-scorer';
import { resolveRecipe } from '../src/train/recipe';
import { safeStem } from '../src/train/run-bundle';
import { exportRunFromFolders } from './peft/export-run';

class UsageError extends Error {}

const USAGE = `usage:
  cli generate --model <dir> --prompt TEXT [--patch FILE] [--seed N] [--max-new-tokens N]
               [--temperature T] [--top-k K] [--top-p P] [--chat] [--backend cpu|wasm]
  cli score    --model <dir> --prompt TEXT --continuation TEXT [--patch FILE] [--chat]
  cli logits   --model <dir> --ids 1,2,3
  cli evaluate --model <dir> --reference <dir> [--patch FILE] [--sets a.json,b.json]
               [--max-prompts N] [--k K] [--temperature T] [--max-new-tokens N] [--seed N]
               [--control-seeds 1,2,3] [--control-length N] [--resamples B]
               (without --sets: the embedded demo's held-out sets)
  cli export-run --model <dir> --reference <dir> --out <dir|file.zip> [--name N]
               [--recipe recipe.json] [--per-set N] [--model-id ID] [--reference-id ID]`;

function parseArgs(argv: string[]): { command: string; flags: Map<string, string> } {
  const [command, ...rest] = argv;
  if (!command || command.startsWith('--')) throw new UsageError('missing command');
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    const next = rest[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(a.slice(2), 'true');
    else {
      flags.set(a.slice(2), next);
      i++;
    }
  }
  return { command, flags };
}

function required(flags: Map<string, string>, name: string): string {
  const v = flags.get(name);
  if (v === undefined || v === 'true') throw new UsageError(`--${name} is required`);
  return v;
}

function numberFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** A path that exists is a model directory; anything else would be a hub id, which needs the network. */
function modelSource(model: string): NodeDirectorySource {
  if (existsSync(model)) {
    if (!statSync(model).isDirectory())
      throw new UsageError(`--model ${model} is a file, not a model directory`);
    return new NodeDirectorySource(model);
  }
  throw new UsageError(
    `--model "${model}" is not a directory here, so it would be a Hugging Face hub id; hub access isn't available from the CLI (offline). Download the model into a folder and pass its path.`,
  );
}

/** The patch's prompt_embeddings [n, hidden] from a .patch.safetensors file. */
function readPatch(file: string): tf.Tensor2D {
  const bytes = new Uint8Array(readFileSync(file));
  const header = parseSafetensorsHeader(bytes, { fileName: file });
  const entry = header.tensors.get('prompt_embeddings');
  if (!entry) throw new UsageError(`${file} has no "prompt_embeddings" tensor`);
  if (entry.shape.length !== 2) {
    throw new UsageError(
      `${file}: prompt_embeddings must be 2-D [n, hidden], got [${entry.shape.join(', ')}]`,
    );
  }
  return tf.tensor2d(
    readTensorFloat32(bytes, entry, 'prompt_embeddings'),
    entry.shape as [number, number],
  );
}

function checkPatchWidth(prefix: tf.Tensor2D | null, file: string | undefined, hidden: number) {
  if (prefix && prefix.shape[1] !== hidden) {
    throw new UsageError(
      `${file}: the patch is ${prefix.shape[1]} wide but the model's hidden size is ${hidden}`,
    );
  }
}

const SET_KINDS = ['toxicity', 'bias', 'harmful', 'safe', 'general'] as const;

/** A prompt-set JSON file (the shape of src/data/builtin/*.json), checked before use. */
function readPromptSet(file: string): PromptSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not a JSON prompt set (${e instanceof Error ? e.message : e})`);
  }
  const set = parsed as Partial<PromptSet>;
  if (!set || typeof set !== 'object' || !Array.isArray(set.items))
    throw new UsageError(`${file}: a prompt set needs an "items" array`);
  if (!SET_KINDS.includes(set.kind as (typeof SET_KINDS)[number]))
    throw new UsageError(`${file}: "kind" must be one of ${SET_KINDS.join(', ')}`);
  const items = set.items.filter(
    (i): i is PromptSet['items'][number] =>
      !!i && typeof (i as { prompt?: unknown }).prompt === 'string',
  );
  return {
    name: typeof set.name === 'string' ? set.name : file,
    kind: set.kind as PromptSet['kind'],
    source: file,
    split: 'eval',
    items,
  };
}

const intList = (flags: Map<string, string>, name: string, fallback: number[]): number[] => {
  const v = flags.get(name);
  if (v === undefined) return fallback;
  const xs = v.split(',').map((x) => Number(x.trim()));
  if (xs.some((x) => !Number.isInteger(x)))
    throw new UsageError(`--${name} must be comma-separated integers, got "${v}"`);
  return xs;
};

const estimate = (e: GapClosedEstimate | null) =>
  e && {
    value: e.value,
    lo: e.interval.lo,
    hi: e.interval.hi,
    n: e.n,
    text: formatGapClosed(e),
    ...(e.undefinedReason ? { undefinedReason: e.undefinedReason } : {}),
  };

async function evaluateCommand(flags: Map<string, string>): Promise<unknown> {
  const baseSource = modelSource(required(flags, 'model'));
  const refSource = modelSource(required(flags, 'reference'));
  const setFiles = flags.get('sets');
  const demo = setFiles === undefined;
  const maxPrompts = numberFlag(flags, 'max-prompts', 0);
  const clip = (s: PromptSet) =>
    maxPrompts > 0 ? { ...s, items: s.items.slice(0, maxPrompts) } : s;
  const allSets = demo
    ? (await import('../src/data/builtin/index')).BUILTIN_PROMPT_SETS.filter(
        (s) => s.split === 'eval',
      )
    : setFiles.split(',').map((f) => readPromptSet(f.trim()));
  const sets: EvaluateOptions['sets'] = {};
  for (const s of allSets) {
    if (sets[s.kind]) throw new UsageError(`two sets of kind "${s.kind}": pass one per kind`);
    sets[s.kind] = clip(s);
  }
  const base = await loadModel(baseSource);
  const reference = await loadModel(refSource);
  const patchFile = flags.get('patch');
  const prefix = patchFile ? readPatch(patchFile) : null;
  checkPatchWidth(prefix, patchFile, base.config.hiddenSize);
  const patch = prefix
    ? {
        rows: (await prefix.data()) as Float32Array,
        n: prefix.shape[0],
        hidden: prefix.shape[1],
      }
    : null;
  prefix?.dispose();
  const { scorer } = await createToxicityScorer({
    classifierModel: null,
    extraWords: demo ? DEMO_INSULT_WORDS : undefined,
  });
  const t0 = performance.now();
  const cmp = await compareWithControls({
    base,
    reference,
    patch,
    sets,
    sampling: {
      maxNewTokens: numberFlag(flags, 'max-new-tokens', 24),
      temperature: numberFlag(flags, 'temperature', 0),
      topK: numberFlag(flags, 'top-k', 0),
      topP: numberFlag(flags, 'top-p', 1),
      seed: numberFlag(flags, 'seed', 0),
    },
    k: numberFlag(flags, 'k', 1),
    toxicityScorer: scorer,
    controlSeeds: intList(flags, 'control-seeds', [1]),
    controlShape: { n: numberFlag(flags, 'control-length', 50) },
    bootstrap: {
      resamples: numberFlag(flags, 'resamples', 2000),
      seed: numberFlag(flags, 'seed', 0),
    },
    onTarget: (label) => console.error(`[evaluate] ${label}`),
  });
  const reports = [cmp.base, cmp.reference, ...(cmp.patched ? [cmp.patched] : []), ...cmp.controls];
  return {
    model: baseSource.id,
    reference: refSource.id,
    patch: patchFile ?? null,
    sets: Object.fromEntries(
      Object.entries(sets).map(([k, s]) => [k, { name: s.name, n: s.items.length }]),
    ),
    seconds: (performance.now() - t0) / 1000,
    targets: reports.map((r) => ({
      label: r.label,
      kind: r.targetKind,
      ...(r.control ? { control: r.control } : {}),
      scorers: r.scorers,
      metrics: Object.fromEntries(r.metrics.map((m) => [m.id, m.value])),
    })),
    gaps: cmp.gaps.map((g) => ({
      domain: g.domain,
      metric: g.metricId,
      patched: estimate(g.patched),
      control: estimate(g.control),
      controlMeanOverSeeds: cmp.controlGaps[g.domain].mean,
    })),
  };
}

/** A run bundle for PyTorch + PEFT from two model folders, as a folder or a zip. */
async function exportRunCommand(flags: Map<string, string>): Promise<unknown> {
  const baseDir = modelSource(required(flags, 'model')).dir;
  const referenceDir = modelSource(required(flags, 'reference')).dir;
  const out = required(flags, 'out');
  const recipeFile = flags.get('recipe');
  let partial: Record<string, unknown> = {};
  if (recipeFile) {
    try {
      partial = JSON.parse(readFileSync(recipeFile, 'utf8'));
    } catch (e) {
      throw new UsageError(
        `${recipeFile}: not a JSON recipe (${e instanceof Error ? e.message : e})`,
      );
    }
    // recipe.json of an earlier bundle holds the recipe under "recipe".
    if (partial.format === 'patch-lab-run-bundle')
      partial = partial.recipe as Record<string, unknown>;
  }
  let recipe: ReturnType<typeof resolveRecipe>;
  try {
    recipe = resolveRecipe(partial);
  } catch (e) {
    throw new UsageError(`--recipe: ${e instanceof Error ? e.message : e}`);
  }
  const perSet = numberFlag(flags, 'per-set', 0);
  if (!Number.isInteger(perSet) || perSet < 0)
    throw new UsageError('--per-set must be an integer ≥ 0');
  const name = flags.get('name') ?? 'patch';
  const bundle = await exportRunFromFolders({
    baseDir,
    referenceDir,
    baseId: flags.get('model-id'),
    referenceId: flags.get('reference-id'),
    recipe,
    name,
    perSet,
    onProgress: (done, total) => console.error(`[export-run] collected ${done}/${total}`),
  });
  if (out.endsWith('.zip')) {
    const root = safeStem(name);
    const entries = Object.fromEntries(
      Object.entries(bundle.files).map(([path, text]) => [`${root}/${path}`, strToU8(text)]),
    );
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zipSync(entries));
  } else {
    for (const [path, text] of Object.entries(bundle.files)) {
      mkdirSync(dirname(join(out, path)), { recursive: true });
      writeFileSync(join(out, path), text);
    }
  }
  return { out, files: Object.keys(bundle.files).sort(), counts: bundle.counts };
}

async function main(argv: string[]): Promise<unknown> {
  const { command, flags } = parseArgs(argv);
  if (!['generate', 'score', 'logits', 'evaluate', 'export-run'].includes(command))
    throw new UsageError(`unknown command "${command}"`);
  const backend = (flags.get('backend') ?? 'wasm') as BackendName;
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new UsageError('--backend must be cpu or wasm');
  const ready = await useBackend(backend);
  if (!ready.ok) throw new Error(`backend ${backend}: ${ready.error}`);
  if (command === 'evaluate') return evaluateCommand(flags);
  if (command === 'export-run') return exportRunCommand(flags);
  const source = modelSource(required(flags, 'model'));
  const { model, tokenizer, config } = await loadModel(source);
  const patchFile = flags.get('patch');
  const prefix = patchFile ? readPatch(patchFile) : null;
  checkPatchWidth(prefix, patchFile, config.hiddenSize);
  const chat = flags.get('chat') === 'true';
  const encodePrompt = (text: string) =>
    chat
      ? tokenizer.encode(tokenizer.formatUserPrompt(text), { addSpecialTokens: false })
      : tokenizer.encode(text);
  const info = { model: source.id, modelType: config.modelType, backend, patch: patchFile ?? null };

  if (command === 'generate') {
    const promptIds = encodePrompt(required(flags, 'prompt'));
    const t0 = performance.now();
    const [ids] = await generate(model, [promptIds], {
      maxNewTokens: numberFlag(flags, 'max-new-tokens', 64),
      temperature: numberFlag(flags, 'temperature', 0),
      topK: numberFlag(flags, 'top-k', 0),
      topP: numberFlag(flags, 'top-p', 1),
      seed: numberFlag(flags, 'seed', 0),
      prefix,
    });
    const seconds = (performance.now() - t0) / 1000;
    return {
      ...info,
      promptIds,
      ids,
      text: tokenizer.decode(ids, { skipSpecialTokens: true }),
      tokensPerSecond: ids.length / seconds,
    };
  }
  if (command === 'score') {
    const promptIds = encodePrompt(required(flags, 'prompt'));
    const contIds = tokenizer.encode(required(flags, 'continuation'), { addSpecialTokens: false });
    const r = await scoreContinuations(model, [promptIds], [contIds], { prefix });
    return {
      ...info,
      promptIds,
      continuationIds: contIds,
      sum: r.sum[0],
      tokenLogProbs: r.tokenLogProbs[0],
    };
  }
  const ids = required(flags, 'ids')
    .split(',')
    .map((s) => Number(s.trim()));
  if (ids.some((x) => !Number.isInteger(x) || x < 0 || x >= config.vocabSize)) {
    throw new UsageError(`--ids must be comma-separated integers in [0, ${config.vocabSize})`);
  }
  // The patch rows go in front of the tokens (as in generate and score); only
  // the token positions' logits are reported.
  const n = prefix?.shape[0] ?? 0;
  const logits = tf.tidy(() => {
    const tokens = model.embed(tf.tensor2d([ids], [1, ids.length], 'int32'));
    const embeds = prefix ? tf.concat([prefix.expandDims(0) as tf.Tensor3D, tokens], 1) : tokens;
    const all = model.forward(embeds).logits;
    return n > 0 ? all.slice([0, n, 0], [1, ids.length, config.vocabSize]) : all;
  });
  const last = logits.slice([0, ids.length - 1, 0], [1, 1, config.vocabSize]);
  const result = { ...info, ids, shape: logits.shape, lastLogits: Array.from(await last.data()) };
  tf.dispose([logits, last]);
  return result;
}

main(process.argv.slice(2)).then(
  (out) => {
    console.log(JSON.stringify(out, null, 2));
  },
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    console.error(JSON.stringify({ error: msg }));
    if (e instanceof UsageError) console.error(USAGE);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
