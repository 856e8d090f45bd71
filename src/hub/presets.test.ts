import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../engine/config';
import { countParameters } from '../engine/memory';
import hfConfigs from './fixtures/hf-configs.json';
import {
  DEFAULT_PAIR,
  findPreset,
  groupPresetsBySize,
  MODEL_PRESETS,
  PRESET_PAIRS,
  presetMemory,
  suggestReference,
  summaryModelConfig,
} from './presets';

const realConfigs = hfConfigs as unknown as Record<string, Record<string, unknown>>;
const hubPresets = MODEL_PRESETS.filter((p) => p.source === 'hub');

// Totals of the safetensors checkpoints as published (tied heads counted once,
// GPT-2's attn.bias mask buffers not counted: they are not parameters).
const PUBLISHED_PARAMS: Record<string, number> = {
  'HuggingFaceTB/SmolLM2-135M': 134_515_008,
  'HuggingFaceTB/SmolLM2-135M-Instruct': 134_515_008,
  'HuggingFaceTB/SmolLM2-360M': 361_821_120,
  'HuggingFaceTB/SmolLM2-360M-Instruct': 361_821_120,
  'Qwen/Qwen2.5-0.5B': 494_032_768,
  'Qwen/Qwen2.5-0.5B-Instruct': 494_032_768,
  'meta-llama/Llama-3.2-1B': 1_235_814_400,
  'meta-llama/Llama-3.2-1B-Instruct': 1_235_814_400,
  'TinyLlama/TinyLlama-1.1B-Chat-v1.0': 1_100_048_384,
  'openai-community/gpt2': 124_439_808,
  'distilbert/distilgpt2': 81_912_576,
};

const DTYPE_BYTES = { float32: 4, bfloat16: 2, float16: 2 } as const;

describe('hub presets against the real config.json files', () => {
  it('has a real config fixture and a published count for every hub preset', () => {
    expect(hubPresets.length).toBeGreaterThanOrEqual(11);
    for (const p of hubPresets) {
      expect(realConfigs[p.id], p.id).toBeDefined();
      expect(PUBLISHED_PARAMS[p.id], p.id).toBeDefined();
    }
  });

  for (const p of MODEL_PRESETS.filter((x) => x.source === 'hub')) {
    it(`${p.id}: summary matches config.json and the parameter count is exact`, () => {
      const raw = realConfigs[p.id];
      const parsed = parseModelConfig(raw);
      const fromSummary = summaryModelConfig(p.architecture!);
      for (const key of [
        'modelType',
        'vocabSize',
        'hiddenSize',
        'numLayers',
        'numHeads',
        'numKvHeads',
        'headDim',
        'intermediateSize',
        'maxPositions',
        'tieWordEmbeddings',
        'attentionBias',
      ] as const) {
        expect(fromSummary[key], `${p.id} ${key}`).toEqual(parsed[key]);
      }
      expect(p.architecture!.dtype).toBe(raw.torch_dtype ?? 'float32');
      expect(countParameters(parsed)).toBe(PUBLISHED_PARAMS[p.id]);
      expect(presetMemory(p)!.params).toBe(PUBLISHED_PARAMS[p.id]);
    });
  }

  it('download sizes are consistent with parameters × bytes per value on disk', () => {
    for (const p of hubPresets) {
      const onDisk = PUBLISHED_PARAMS[p.id] * DTYPE_BYTES[p.architecture!.dtype];
      // The weights file is at least the parameters; GPT-2 checkpoints also store
      // their causal-mask buffers, and tokenizers add a few MB.
      expect(p.downloadBytes!, p.id).toBeGreaterThanOrEqual(onDisk);
      expect(p.downloadBytes!, p.id).toBeLessThan(onDisk * 1.12 + 20e6);
    }
  });

  it('marks exactly the meta-llama repos as gated, with a note saying so', () => {
    for (const p of MODEL_PRESETS) {
      expect(p.gated, p.id).toBe(p.id.startsWith('meta-llama/'));
      if (p.gated) expect(p.note).toMatch(/gated/);
    }
  });
});

describe('embedded demo presets', () => {
  it('lists demo-base and demo-safe as embedded, labelled as the embedded demo', () => {
    for (const id of ['demo-base', 'demo-safe']) {
      const p = findPreset(id)!;
      expect(p.source).toBe('embedded');
      expect(p.note).toMatch(/^embedded demo/);
      expect(presetMemory(p)).toBeNull();
    }
  });
});

describe('groupPresetsBySize', () => {
  it('puts the demo first and orders hub presets by parameter count within size classes', () => {
    const groups = groupPresetsBySize();
    expect(groups.map((g) => g.label)).toEqual([
      'Embedded demo (offline)',
      'Small (under 200M parameters)',
      'Medium (200M–600M parameters)',
      'Large (over 600M parameters, needs a good GPU)',
    ]);
    expect(groups[0].presets.map((p) => p.id)).toEqual(['demo-base', 'demo-safe']);
    expect(groups[1].presets.map((p) => p.id)).toEqual([
      'distilbert/distilgpt2',
      'openai-community/gpt2',
      'HuggingFaceTB/SmolLM2-135M',
      'HuggingFaceTB/SmolLM2-135M-Instruct',
    ]);
    expect(groups[2].presets.map((p) => p.id)).toEqual([
      'HuggingFaceTB/SmolLM2-360M',
      'HuggingFaceTB/SmolLM2-360M-Instruct',
      'Qwen/Qwen2.5-0.5B',
      'Qwen/Qwen2.5-0.5B-Instruct',
    ]);
    expect(groups[3].presets.map((p) => p.id)).toEqual([
      'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
      'meta-llama/Llama-3.2-1B',
      'meta-llama/Llama-3.2-1B-Instruct',
    ]);
    expect(groups.flatMap((g) => g.presets)).toHaveLength(MODEL_PRESETS.length);
  });
});

describe('pairs', () => {
  it('defaults to demo-base → demo-safe', () => {
    expect(DEFAULT_PAIR).toMatchObject({ base: 'demo-base', reference: 'demo-safe' });
    expect(suggestReference('demo-base')).toBe('demo-safe');
    expect(suggestReference('openai-community/gpt2')).toBeNull();
  });

  it('pairs a base with an instruct model of the same family and tokenizer size', () => {
    for (const pair of PRESET_PAIRS) {
      const base = findPreset(pair.base)!;
      const ref = findPreset(pair.reference)!;
      expect(base.role, pair.base).toBe('base');
      expect(ref.role, pair.reference).toBe('instruct');
      expect(ref.family).toBe(base.family);
      expect(ref.architecture?.vocabSize).toBe(base.architecture?.vocabSize);
    }
  });
});
