// Command-line access to the engine, printing JSON:
//   npm run cli -- generate --model <dir> --prompt "..." [--patch f.patch.safetensors] [--seed N]
//                  [--max-new-tokens N] [--temperature T] [--top-k K] [--top-p P] [--chat] [--backend cpu|wasm]
//   npm run cli -- score --model <dir> --prompt "..." --continuation "..." [--patch ...]
//   npm run cli -- logits --model <dir> --ids 1,2,3
import { existsSync, readFileSync, statSync } from 'node:fs';
import { type BackendName, useBackend } from '../src/engine/backends';
import { generate } from '../src/engine/generate';
import { loadModel } from '../src/engine/load';
import { NodeDirectorySource } from '../src/engine/node-directory-source';
import { parseSafetensorsHeader, readTensorFloat32 } from '../src/engine/safetensors';
import { scoreContinuations } from '../src/engine/score';
import { tf } from '../src/engine/tf';

class UsageError extends Error {}

const USAGE = `usage:
  cli generate --model <dir> --prompt TEXT [--patch FILE] [--seed N] [--max-new-tokens N]
               [--temperature T] [--top-k K] [--top-p P] [--chat] [--backend cpu|wasm]
  cli score    --model <dir> --prompt TEXT --continuation TEXT [--patch FILE] [--chat]
  cli logits   --model <dir> --ids 1,2,3`;

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

async function main(argv: string[]): Promise<unknown> {
  const { command, flags } = parseArgs(argv);
  if (!['generate', 'score', 'logits'].includes(command))
    throw new UsageError(`unknown command "${command}"`);
  const backend = (flags.get('backend') ?? 'wasm') as BackendName;
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new UsageError('--backend must be cpu or wasm');
  const source = modelSource(required(flags, 'model'));
  const ready = await useBackend(backend);
  if (!ready.ok) throw new Error(`backend ${backend}: ${ready.error}`);
  const { model, tokenizer, config } = await loadModel(source);
  const patchFile = flags.get('patch');
  const prefix = patchFile ? readPatch(patchFile) : null;
  if (prefix && prefix.shape[1] !== config.hiddenSize) {
    throw new UsageError(
      `${patchFile}: the patch is ${prefix.shape[1]} wide but the model's hidden size is ${config.hiddenSize}`,
    );
  }
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
