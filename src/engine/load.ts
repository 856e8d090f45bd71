// Loads a model from any ModelFileSource: config.json first (so an
// unsupported or too-large model is refused before gigabytes are read), then
// single or sharded safetensors, tensor by tensor onto the tfjs backend, then
// the tokenizer and generation_config.json.
import { canonicalWeightName, createModel, expectedWeightShapes } from './architectures';
import { parseModelConfig } from './config';
import { checkModelFits } from './memory';
import { parseSafetensorsHeader, readTensorFloat32 } from './safetensors';
import { tf } from './tf';
import { loadTokenizer } from './tokenizer';
import type { CausalLM, DeviceLimits, ModelConfig, ModelFileSource, TextTokenizer } from './types';

export interface LoadProgress {
  phase: 'download' | 'upload' | 'ready';
  file?: string;
  loaded: number;
  total: number | null;
}

export interface LoadOptions {
  onProgress?: (e: LoadProgress) => void;
  limits?: DeviceLimits;
  signal?: AbortSignal;
}

export interface LoadedModel {
  model: CausalLM;
  tokenizer: TextTokenizer;
  config: ModelConfig;
  generation: Record<string, unknown> | null;
}

const FLOAT_DTYPES = ['F32', 'F16', 'BF16'];

async function readJson(
  source: ModelFileSource,
  file: string,
  signal?: AbortSignal,
): Promise<unknown | null> {
  const bytes = await source.read(file, { signal });
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(
      `${file} of ${source.label} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Which shard files to read: from model.safetensors.index.json, or the single model.safetensors. */
async function shardFiles(source: ModelFileSource, signal?: AbortSignal): Promise<string[]> {
  const index = (await readJson(source, 'model.safetensors.index.json', signal)) as {
    weight_map?: Record<string, unknown>;
  } | null;
  if (index) {
    const map = index.weight_map;
    if (!map || typeof map !== 'object') {
      throw new Error(`model.safetensors.index.json of ${source.label} has no "weight_map"`);
    }
    const files = [...new Set(Object.values(map))];
    for (const f of files) {
      if (
        typeof f !== 'string' ||
        f.includes('/') ||
        f.includes('\\') ||
        !f.endsWith('.safetensors')
      ) {
        throw new Error(
          `model.safetensors.index.json of ${source.label} names an invalid shard ${JSON.stringify(f)}`,
        );
      }
    }
    return files as string[];
  }
  return ['model.safetensors'];
}

/** Reads every shard and uploads the tensors the architecture needs, checking names, shapes and dtypes. */
async function loadWeights(
  source: ModelFileSource,
  config: ModelConfig,
  opts: LoadOptions,
): Promise<Map<string, tf.Tensor>> {
  const expected = expectedWeightShapes(config);
  const weights = new Map<string, tf.Tensor>();
  const files = await shardFiles(source, opts.signal);
  try {
    for (const file of files) {
      const bytes = await source.read(file, {
        signal: opts.signal,
        onProgress: (p) =>
          opts.onProgress?.({ phase: 'download', file: p.file, loaded: p.loaded, total: p.total }),
      });
      if (!bytes) {
        throw new Error(
          file === 'model.safetensors'
            ? `${source.label} has neither model.safetensors nor model.safetensors.index.json`
            : `shard ${file} listed in model.safetensors.index.json is missing from ${source.label}`,
        );
      }
      const header = parseSafetensorsHeader(bytes, { fileName: file });
      for (const [rawName, entry] of header.tensors) {
        opts.signal?.throwIfAborted();
        const name = canonicalWeightName(config, rawName);
        const shape = expected.get(name);
        // Tensors the architecture does not use (a tied lm_head copy, GPT-2's
        // causal-mask buffers) are skipped without being decoded.
        if (!shape) continue;
        if (weights.has(name))
          throw new Error(`tensor "${name}" appears twice in the checkpoint (again in ${file})`);
        if (!FLOAT_DTYPES.includes(entry.dtype)) {
          throw new Error(
            `tensor "${rawName}" in ${file} has dtype ${entry.dtype}; weights must be F32, F16 or BF16`,
          );
        }
        if (entry.shape.join(',') !== shape.join(',')) {
          throw new Error(
            `tensor "${rawName}" in ${file} has shape [${entry.shape.join(', ')}] but config.json implies [${shape.join(', ')}]`,
          );
        }
        // One tensor at a time: decode to f32 and upload, so only the file
        // bytes and the device copy exist, never a second full host copy.
        weights.set(
          name,
          tf.tensor(
            readTensorFloat32(bytes, entry, `${rawName} in ${file}`, { requireFinite: true }),
            shape,
            'float32',
          ),
        );
        opts.onProgress?.({ phase: 'upload', file, loaded: weights.size, total: expected.size });
      }
    }
    const missing = [...expected.keys()].filter((n) => !weights.has(n));
    if (missing.length > 0) {
      const more = missing.length > 1 ? ` (and ${missing.length - 1} more)` : '';
      throw new Error(`checkpoint of ${source.label} is missing tensor "${missing[0]}"${more}`);
    }
    return weights;
  } catch (e) {
    for (const t of weights.values()) t.dispose();
    throw e;
  }
}

/**
 * Loads config, weights, tokenizer and generation config. Throws with a
 * message fit for the UI when the model type is unsupported, the model does
 * not fit the device, or a file is missing or malformed.
 */
export async function loadModel(
  source: ModelFileSource,
  opts: LoadOptions = {},
): Promise<LoadedModel> {
  const configJson = await readJson(source, 'config.json', opts.signal);
  if (configJson === null) throw new Error(`${source.label} has no config.json`);
  const config = parseModelConfig(configJson);
  const fit = checkModelFits(config, opts.limits ?? null, { modelName: source.label });
  if (!fit.ok) throw new Error(fit.message);

  const tokenizer = await loadTokenizer(source, { signal: opts.signal });
  const generation = (await readJson(source, 'generation_config.json', opts.signal)) as Record<
    string,
    unknown
  > | null;
  // generation_config.json may list extra stop ids (Llama 3 instruct: <|eot_id|>);
  // a config without any falls back to the tokenizer's EOS.
  const genEos = generation?.eos_token_id;
  const eos = [...config.eosTokenIds];
  for (const x of Array.isArray(genEos) ? genEos : [genEos]) {
    if (typeof x === 'number' && !eos.includes(x)) eos.push(x);
  }
  if (eos.length === 0) eos.push(...tokenizer.eosTokenIds);
  const fullConfig: ModelConfig = { ...config, eosTokenIds: eos };

  const weights = await loadWeights(source, fullConfig, opts);
  let model: CausalLM;
  try {
    model = createModel(fullConfig, weights);
  } catch (e) {
    for (const t of weights.values()) t.dispose();
    throw e;
  }
  opts.onProgress?.({ phase: 'ready', loaded: 1, total: 1 });
  return { model, tokenizer, config: fullConfig, generation };
}
