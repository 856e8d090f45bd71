// Writes a demo model in the exact Hugging Face layout, so the lab (and
// Python's transformers) load it like any hub checkpoint.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHfConfigJson } from '../../src/engine/config';
import type { tf } from '../../src/engine/tf';
import type { ModelConfig } from '../../src/engine/types';
import { weightsToSafetensors } from '../../src/engine/weights-io';
import { type BpeModel, tokenizerConfigJson, tokenizerJson } from './bpe';
import { SPECIAL } from './corpus';

export const MODELS_DIR = 'public/models';

export function demoConfig(vocabSize: number, ids: Map<string, number>): ModelConfig {
  return {
    modelType: 'llama',
    vocabSize,
    hiddenSize: 128,
    numLayers: 4,
    numHeads: 4,
    numKvHeads: 2,
    headDim: 32,
    intermediateSize: 320,
    maxPositions: 256,
    normEps: 1e-5,
    tieWordEmbeddings: true,
    ropeTheta: 10000,
    ropeScaling: null,
    attentionBias: false,
    bosTokenId: ids.get(SPECIAL.endOfText)!,
    // <|im_end|> ends a chat turn, <|endoftext|> a plain text.
    eosTokenIds: [ids.get(SPECIAL.imEnd)!, ids.get(SPECIAL.endOfText)!],
    padTokenId: ids.get(SPECIAL.endOfText)!,
  };
}

const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;

export function writeModelDir(
  name: string,
  config: ModelConfig,
  weights: Map<string, tf.Tensor>,
  bpe: BpeModel,
  card: string,
): string {
  const dir = join(MODELS_DIR, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    json({ ...toHfConfigJson(config), transformers_version: '4.46.0' }),
  );
  writeFileSync(
    join(dir, 'generation_config.json'),
    json({
      bos_token_id: config.bosTokenId,
      eos_token_id: config.eosTokenIds,
      pad_token_id: config.padTokenId,
      do_sample: false,
      max_new_tokens: 64,
      transformers_version: '4.46.0',
    }),
  );
  writeFileSync(join(dir, 'model.safetensors'), weightsToSafetensors(weights, { format: 'pt' }));
  // Compact JSON for the big file (it is served to browsers); pretty for the small one.
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(bpe)));
  writeFileSync(join(dir, 'tokenizer_config.json'), json(tokenizerConfigJson(bpe)));
  writeFileSync(join(dir, 'README.md'), card);
  return dir;
}
