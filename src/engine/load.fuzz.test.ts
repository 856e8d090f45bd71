// Seeded fuzzing of the checkpoint and tokenizer door (loadModel): mutated
// safetensors bytes, hostile config.json values and tokenizer_class names.
// For every variant loadModel must either refuse with a clean error (ours,
// not a raw TypeError or RangeError) or give a model that works: for a
// mutated weights file, logits bit-identical to the original model's (the
// bytes it read are the original tensors, not shifted ones); for a mutated
// config, finite logits; for a mutated tokenizer class, a tokenizer that
// encodes and decodes. A NaN or Inf put into a weight must always be refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeSafetensors,
  fixtureConfigJson,
  fixtureTokenizerFiles,
  randomFixtureTensors,
} from '../../scripts/fixtures/write-random-checkpoints';
import { FuzzTally, fuzzVariants, isCleanError } from '../../scripts/fuzz/tally';
import { useBackend } from './backends';
import { loadModel } from './load';
import { Rng } from './rng';
import { tf } from './tf';
import type { CausalLM, ModelFileSource } from './types';

const VARIANTS = fuzzVariants(300);
const IDS = [1, 7, 30, 12, 2, 44];

type Files = Record<string, Uint8Array>;
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

function source(files: Files): ModelFileSource {
  return {
    id: 'memory:fuzz',
    label: 'the fuzzed checkpoint',
    modelId: 'fuzz',
    revision: 'main',
    read: async (file) => files[file] ?? null,
  } as ModelFileSource;
}

function logitsOf(model: CausalLM): Float32Array {
  return tf.tidy(() => {
    const ids = tf.tensor2d([IDS], [1, IDS.length], 'int32');
    return model.forward(model.embed(ids)).logits.dataSync() as Float32Array;
  });
}

const EXTREMES = [0, -1, 1, 2 ** 32, 2 ** 53, 1e300, -1e-300, 0.5];
const HOSTILE_VALUES: unknown[] = [
  0,
  -1,
  -0.0001,
  1e308,
  1.5,
  2 ** 53,
  null,
  'x',
  '',
  [],
  {},
  true,
];
const CONFIG_KEYS = [
  'vocab_size',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'num_key_value_heads',
  'head_dim',
  'intermediate_size',
  'max_position_embeddings',
  'rms_norm_eps',
  'rope_theta',
  'tie_word_embeddings',
  'eos_token_id',
  'model_type',
  'rope_scaling',
];
const TOKENIZER_CLASSES: unknown[] = [
  'AutoTokenizer',
  'PretrainedConfig',
  'AutoConfig',
  'GenerationConfig',
  'AutoModel',
  'pipeline',
  'env',
  'Tensor',
  'LlamaTokenizer',
  'LlamaTokenizerFast',
  'GPT2Tokenizer',
  'PreTrainedTokenizer',
  'NoSuchTokenizer',
  'constructor',
  '__proto__',
  'toString',
  '',
  5,
  null,
  ['LlamaTokenizer'],
];

type Kind = 'weights' | 'config' | 'tokenizer' | 'nonFinite';
type Mutation = { kind: Kind; apply: (f: Files, rng: Rng) => Files };

function headerOf(b: Uint8Array): { n: number; json: string } {
  const n = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  return { n, json: new TextDecoder().decode(b.subarray(8, 8 + n)) };
}

function withHeader(b: Uint8Array, json: string, n0: number): Uint8Array {
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + (b.length - 8 - n0));
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(b.subarray(8 + n0), 8 + head.length);
  return out;
}

const W = 'model.safetensors';
const mutations: Record<string, Mutation> = {
  headerLengthOffBy: {
    kind: 'weights',
    apply: (f, rng) => {
      const b = f[W].slice();
      const { n } = headerOf(b);
      const d = (1 + rng.int(8)) * (rng.int(2) ? 1 : -1);
      new DataView(b.buffer).setBigUint64(0, BigInt(Math.max(0, n + d)), true);
      return { ...f, [W]: b };
    },
  },
  flipHeaderByte: {
    kind: 'weights',
    apply: (f, rng) => {
      const b = f[W].slice();
      const { n } = headerOf(b);
      b[8 + rng.int(n)] ^= 1 << rng.int(8);
      return { ...f, [W]: b };
    },
  },
  extremeNumber: {
    kind: 'weights',
    apply: (f, rng) => {
      const { n, json } = headerOf(f[W]);
      const numbers = [...json.matchAll(/\d+/g)];
      const m = numbers[rng.int(numbers.length)];
      const v = String(EXTREMES[rng.int(EXTREMES.length)]);
      const edited = json.slice(0, m.index) + v + json.slice((m.index ?? 0) + m[0].length);
      return { ...f, [W]: withHeader(f[W], edited, n) };
    },
  },
  truncate: {
    kind: 'weights',
    apply: (f, rng) => ({ ...f, [W]: f[W].slice(0, rng.int(f[W].length)) }),
  },
  appendBytes: {
    kind: 'weights',
    apply: (f, rng) => {
      const out = new Uint8Array(f[W].length + 1 + rng.int(16));
      out.set(f[W]);
      return { ...f, [W]: out };
    },
  },
  insertBytes: {
    kind: 'weights',
    apply: (f, rng) => {
      const b = f[W];
      const at = rng.int(b.length);
      const k = 1 + rng.int(8);
      const out = new Uint8Array(b.length + k);
      out.set(b.subarray(0, at));
      out.set(b.subarray(at), at + k);
      return { ...f, [W]: out };
    },
  },
  nonFiniteWeight: {
    kind: 'nonFinite',
    apply: (f, rng) => {
      const b = f[W].slice();
      const { n } = headerOf(b);
      const floats = (b.length - 8 - n) / 4;
      const v = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][rng.int(3)];
      new DataView(b.buffer).setFloat32(8 + n + 4 * rng.int(floats), v, true);
      return { ...f, [W]: b };
    },
  },
  configValue: {
    kind: 'config',
    apply: (f, rng) => {
      const cfg = JSON.parse(new TextDecoder().decode(f['config.json']));
      const key = CONFIG_KEYS[rng.int(CONFIG_KEYS.length)];
      if (key === 'rope_scaling' && rng.int(2)) {
        const field = ['factor', 'low_freq_factor', 'high_freq_factor'][rng.int(3)];
        cfg.rope_scaling = {
          rope_type: rng.int(2) ? 'llama3' : 'linear',
          factor: 8,
          low_freq_factor: 1,
          high_freq_factor: 4,
          original_max_position_embeddings: 64,
          [field]: HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)],
        };
      } else cfg[key] = HOSTILE_VALUES[rng.int(HOSTILE_VALUES.length)];
      return { ...f, 'config.json': enc(cfg) };
    },
  },
  tokenizerClass: {
    kind: 'tokenizer',
    apply: (f, rng) => {
      const tc = JSON.parse(new TextDecoder().decode(f['tokenizer_config.json']));
      tc.tokenizer_class = TOKENIZER_CLASSES[rng.int(TOKENIZER_CLASSES.length)];
      return { ...f, 'tokenizer_config.json': enc(tc) };
    },
  },
};

let original: Files;
let expected: Float32Array;

beforeAll(async () => {
  expect(await useBackend('cpu')).toEqual({ ok: true });
  const tok = fixtureTokenizerFiles();
  original = {
    'config.json': enc(fixtureConfigJson('llama-gqa')),
    'generation_config.json': enc({ bos_token_id: 1, eos_token_id: 2 }),
    'tokenizer.json': enc(tok.tokenizer),
    'tokenizer_config.json': enc(tok.config),
    [W]: encodeSafetensors(randomFixtureTensors('llama-gqa', 3)),
  };
  const { model } = await loadModel(source(original));
  expected = logitsOf(model);
  model.dispose();
});

afterAll(() => {
  tf.disposeVariables();
});

describe('loadModel under checkpoint and tokenizer fuzzing', () => {
  it(`refuses cleanly or loads a working model for ${VARIANTS} mutated checkpoints`, async () => {
    const rng = new Rng(13);
    const names = Object.keys(mutations);
    const tally = new FuzzTally('checkpoint + tokenizer (loadModel)');
    const tensorsBefore = tf.memory().numTensors;
    for (let i = 0; i < VARIANTS; i++) {
      const name = names[i % names.length];
      const { kind, apply } = mutations[name];
      const files = apply(original, rng);
      const label = `${name} #${i}`;
      const verdict = await tally.run(async () => {
        let loaded: Awaited<ReturnType<typeof loadModel>>;
        try {
          loaded = await loadModel(source(files));
        } catch (e) {
          return isCleanError(e) ? 'rejected' : `threw ${String(e)}`;
        }
        const { model, tokenizer } = loaded;
        try {
          if (kind === 'nonFinite') return 'loaded a NaN/Inf weight';
          if (kind === 'tokenizer') {
            const ids = tokenizer.encode('hi the');
            if (!ids.every((id) => Number.isInteger(id) && id >= 0 && id < 48))
              return `tokenizer gave ids ${ids}`;
            if (tokenizer.decode([]) !== '') return 'decode([]) is not empty';
            tokenizer.decode(ids);
            return 'accepted';
          }
          const logits = logitsOf(model);
          if (kind === 'config') {
            return logits.every(Number.isFinite) ? 'accepted' : 'non-finite logits';
          }
          const same =
            logits.length === expected.length && logits.every((v, k) => Object.is(v, expected[k]));
          return same ? 'accepted' : 'loaded different weights';
        } catch (e) {
          return `the loaded model failed: ${String(e)}`;
        } finally {
          model.dispose();
        }
      });
      if (verdict === 'rejected') tally.rejected();
      else if (verdict === 'accepted') tally.accepted();
      else tally.defect(`${label}: ${verdict}`);
    }
    const report = tally.finish();
    if (process.env.FUZZ_VARIANTS) console.log(JSON.stringify(report));
    expect(report.defectExamples).toEqual([]);
    expect(report.variants).toBe(VARIANTS);
    // Every kind of answer happens: the door is exercised, not just shut.
    expect(report.rejected).toBeGreaterThan(VARIANTS / 4);
    expect(report.accepted).toBeGreaterThan(VARIANTS / 20);
    expect(report.slowestMs).toBeLessThan(2000);
    expect(report.peakMemoryMb).toBeLessThan(300);
    // A refused load frees what it had uploaded.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);
});
