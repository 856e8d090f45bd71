// The models the lab offers by name: the embedded demo pair and a handful of
// small Hugging Face checkpoints in the architectures the engine runs. Each
// hub preset carries a summary of its real config.json so the UI can show
// size, memory and download before anything is fetched; the parameter counts
// come from estimateModelMemory on that summary, so they always agree with
// the memory check.
import { estimateModelMemory, type MemoryEstimate } from '../engine/memory';
import type { ModelConfig, ModelType } from '../engine/types';

/** The fields of a config.json that decide a model's size. */
export interface ArchitectureSummary {
  modelType: ModelType;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  intermediateSize: number;
  vocabSize: number;
  maxPositions: number;
  tieWordEmbeddings: boolean;
  /** torch_dtype of the weights on disk (converted to float32 on load). */
  dtype: 'float32' | 'bfloat16' | 'float16';
}

export type PresetSource = 'embedded' | 'hub';

export interface ModelPreset {
  /** The hub repo id, or the folder name under public/models/ for embedded models. */
  id: string;
  label: string;
  source: PresetSource;
  family: string;
  /** A base (pretrained) model is what gets patched; an instruct model is a reference M′. */
  role: 'base' | 'instruct';
  /** null for the embedded demo: its config.json is read when it loads (it is tiny). */
  architecture: ArchitectureSummary | null;
  /** All files the lab downloads (weights + tokenizer + configs), approximate; null for embedded. */
  downloadBytes: number | null;
  /** Gated repos need a Hugging Face login and an accepted licence; the lab cannot do that for you. */
  gated: boolean;
  note?: string;
}

const llama = (
  a: Omit<ArchitectureSummary, 'modelType' | 'dtype'> & Partial<ArchitectureSummary>,
): ArchitectureSummary => ({ modelType: 'llama', dtype: 'bfloat16', ...a });

const SMOLLM2_135M = llama({
  hiddenSize: 576,
  numLayers: 30,
  numHeads: 9,
  numKvHeads: 3,
  intermediateSize: 1536,
  vocabSize: 49152,
  maxPositions: 8192,
  tieWordEmbeddings: true,
});
const SMOLLM2_360M = llama({
  hiddenSize: 960,
  numLayers: 32,
  numHeads: 15,
  numKvHeads: 5,
  intermediateSize: 2560,
  vocabSize: 49152,
  maxPositions: 8192,
  tieWordEmbeddings: true,
});
const QWEN25_05B: ArchitectureSummary = {
  modelType: 'qwen2',
  dtype: 'bfloat16',
  hiddenSize: 896,
  numLayers: 24,
  numHeads: 14,
  numKvHeads: 2,
  intermediateSize: 4864,
  vocabSize: 151936,
  maxPositions: 32768,
  tieWordEmbeddings: true,
};
const LLAMA32_1B = llama({
  hiddenSize: 2048,
  numLayers: 16,
  numHeads: 32,
  numKvHeads: 8,
  intermediateSize: 8192,
  vocabSize: 128256,
  maxPositions: 131072,
  tieWordEmbeddings: true,
});
const TINYLLAMA_11B = llama({
  hiddenSize: 2048,
  numLayers: 22,
  numHeads: 32,
  numKvHeads: 4,
  intermediateSize: 5632,
  vocabSize: 32000,
  maxPositions: 2048,
  tieWordEmbeddings: false,
});
const gpt2Arch = (numLayers: number): ArchitectureSummary => ({
  modelType: 'gpt2',
  dtype: 'float32',
  hiddenSize: 768,
  numLayers,
  numHeads: 12,
  numKvHeads: 12,
  intermediateSize: 3072,
  vocabSize: 50257,
  maxPositions: 1024,
  tieWordEmbeddings: true,
});

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'demo-base',
    label: 'Demo base (M)',
    source: 'embedded',
    family: 'demo',
    role: 'base',
    architecture: null,
    downloadBytes: null,
    gated: false,
    note: 'embedded demo: a tiny model trained on a toy world, ships with the app and works offline',
  },
  {
    id: 'demo-safe',
    label: 'Demo safe (M′)',
    source: 'embedded',
    family: 'demo',
    role: 'instruct',
    architecture: null,
    downloadBytes: null,
    gated: false,
    note: 'embedded demo: the safer reference for Demo base, works offline',
  },
  {
    id: 'HuggingFaceTB/SmolLM2-135M',
    label: 'SmolLM2-135M',
    source: 'hub',
    family: 'SmolLM2',
    role: 'base',
    architecture: SMOLLM2_135M,
    downloadBytes: 271e6,
    gated: false,
  },
  {
    id: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    label: 'SmolLM2-135M-Instruct',
    source: 'hub',
    family: 'SmolLM2',
    role: 'instruct',
    architecture: SMOLLM2_135M,
    downloadBytes: 271e6,
    gated: false,
  },
  {
    id: 'distilbert/distilgpt2',
    label: 'DistilGPT-2',
    source: 'hub',
    family: 'GPT-2',
    role: 'base',
    architecture: gpt2Arch(6),
    downloadBytes: 354e6,
    gated: false,
    note: 'no instruct sibling: as M, pair it with a reference that has the GPT-2 tokenizer',
  },
  {
    id: 'openai-community/gpt2',
    label: 'GPT-2 (124M)',
    source: 'hub',
    family: 'GPT-2',
    role: 'base',
    architecture: gpt2Arch(12),
    downloadBytes: 550e6,
    gated: false,
    note: 'no instruct sibling: as M, pair it with a reference that has the GPT-2 tokenizer',
  },
  {
    id: 'HuggingFaceTB/SmolLM2-360M',
    label: 'SmolLM2-360M',
    source: 'hub',
    family: 'SmolLM2',
    role: 'base',
    architecture: SMOLLM2_360M,
    downloadBytes: 726e6,
    gated: false,
  },
  {
    id: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    label: 'SmolLM2-360M-Instruct',
    source: 'hub',
    family: 'SmolLM2',
    role: 'instruct',
    architecture: SMOLLM2_360M,
    downloadBytes: 726e6,
    gated: false,
  },
  {
    id: 'Qwen/Qwen2.5-0.5B',
    label: 'Qwen2.5-0.5B',
    source: 'hub',
    family: 'Qwen2.5',
    role: 'base',
    architecture: QWEN25_05B,
    downloadBytes: 995e6,
    gated: false,
  },
  {
    id: 'Qwen/Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5-0.5B-Instruct',
    source: 'hub',
    family: 'Qwen2.5',
    role: 'instruct',
    architecture: QWEN25_05B,
    downloadBytes: 995e6,
    gated: false,
  },
  {
    id: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
    label: 'TinyLlama-1.1B-Chat',
    source: 'hub',
    family: 'TinyLlama',
    role: 'instruct',
    architecture: TINYLLAMA_11B,
    downloadBytes: 2.202e9,
    gated: false,
    note: 'chat-tuned, Llama 2 tokenizer (32k): no other preset shares it, so pair it with a local folder',
  },
  {
    id: 'meta-llama/Llama-3.2-1B',
    label: 'Llama-3.2-1B',
    source: 'hub',
    family: 'Llama-3.2',
    role: 'base',
    architecture: LLAMA32_1B,
    downloadBytes: 2.48e9,
    gated: true,
    note: 'gated: accept the Llama 3.2 licence on huggingface.co first; downloads need a logged-in token',
  },
  {
    id: 'meta-llama/Llama-3.2-1B-Instruct',
    label: 'Llama-3.2-1B-Instruct',
    source: 'hub',
    family: 'Llama-3.2',
    role: 'instruct',
    architecture: LLAMA32_1B,
    downloadBytes: 2.48e9,
    gated: true,
    note: 'gated: accept the Llama 3.2 licence on huggingface.co first; downloads need a logged-in token',
  },
];

/**
 * A full ModelConfig from a summary, for estimates only: the fields that do
 * not change sizes (norm eps, rope, token ids) get neutral values. The real
 * config.json, parsed by the engine, is what a loaded model runs with.
 */
export function summaryModelConfig(a: ArchitectureSummary): ModelConfig {
  return {
    modelType: a.modelType,
    vocabSize: a.vocabSize,
    hiddenSize: a.hiddenSize,
    numLayers: a.numLayers,
    numHeads: a.numHeads,
    numKvHeads: a.numKvHeads,
    headDim: a.hiddenSize / a.numHeads,
    intermediateSize: a.intermediateSize,
    maxPositions: a.maxPositions,
    normEps: 1e-5,
    tieWordEmbeddings: a.tieWordEmbeddings,
    ropeTheta: a.modelType === 'gpt2' ? 0 : 10000,
    ropeScaling: null,
    // Qwen2 always biases q/k/v; GPT-2 biases everything; the Llama presets have none.
    attentionBias: a.modelType === 'qwen2' || a.modelType === 'gpt2',
    bosTokenId: null,
    eosTokenIds: [],
    padTokenId: null,
  };
}

/** Memory estimate of a preset, or null for the embedded demo (sized when loaded). */
export function presetMemory(preset: ModelPreset): MemoryEstimate | null {
  return preset.architecture ? estimateModelMemory(summaryModelConfig(preset.architecture)) : null;
}

export function findPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id);
}

export interface PresetGroup {
  label: string;
  presets: ModelPreset[];
}

/** Size classes by parameter count; the embedded demo models come first. */
const SIZE_GROUPS: { label: string; maxParams: number }[] = [
  { label: 'Small (under 200M parameters)', maxParams: 200e6 },
  { label: 'Medium (200M–600M parameters)', maxParams: 600e6 },
  { label: 'Large (over 600M parameters, needs a good GPU)', maxParams: Number.POSITIVE_INFINITY },
];

export function groupPresetsBySize(presets: readonly ModelPreset[] = MODEL_PRESETS): PresetGroup[] {
  const groups: PresetGroup[] = [{ label: 'Embedded demo (offline)', presets: [] }];
  for (const g of SIZE_GROUPS) groups.push({ label: g.label, presets: [] });
  const sized = presets
    .map((p) => ({ p, params: presetMemory(p)?.params ?? null }))
    .sort((a, b) => (a.params ?? 0) - (b.params ?? 0));
  for (const { p, params } of sized) {
    if (params === null) {
      groups[0].presets.push(p);
      continue;
    }
    const index = SIZE_GROUPS.findIndex((g) => params < g.maxParams);
    groups[index + 1].presets.push(p);
  }
  return groups.filter((g) => g.presets.length > 0);
}

/** A suggested base M → reference M′ pairing. */
export interface PresetPair {
  base: string;
  reference: string;
  why: string;
}

/**
 * Base → instruct pairs of one family. The lab compares M's and M′'s
 * log-probabilities of the same token sequences (DPO's reference terms), so a
 * pair must share a tokenizer; same-family base/instruct checkpoints do.
 */
export const PRESET_PAIRS: readonly PresetPair[] = [
  {
    base: 'demo-base',
    reference: 'demo-safe',
    why: 'the embedded demo: runs offline in seconds',
  },
  {
    base: 'HuggingFaceTB/SmolLM2-135M',
    reference: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    why: 'same family and tokenizer; the smallest real pair',
  },
  {
    base: 'HuggingFaceTB/SmolLM2-360M',
    reference: 'HuggingFaceTB/SmolLM2-360M-Instruct',
    why: 'same family and tokenizer',
  },
  {
    base: 'Qwen/Qwen2.5-0.5B',
    reference: 'Qwen/Qwen2.5-0.5B-Instruct',
    why: 'same family and tokenizer',
  },
  {
    base: 'meta-llama/Llama-3.2-1B',
    reference: 'meta-llama/Llama-3.2-1B-Instruct',
    why: 'same family and tokenizer (both gated)',
  },
];

export const DEFAULT_PAIR: PresetPair = PRESET_PAIRS[0];

/** The suggested reference for a base model id, or null when none is known. */
export function suggestReference(baseId: string): string | null {
  return PRESET_PAIRS.find((p) => p.base === baseId)?.reference ?? null;
}
