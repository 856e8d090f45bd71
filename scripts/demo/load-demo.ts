// Loads a committed demo model from public/models/<name>/ in Node through the
// engine's own loadModel and NodeDirectorySource: the demo is certified by
// the same code path that loads hub models in the lab.
import { resolve } from 'node:path';
import { loadModel } from '../../src/engine/load';
import { NodeDirectorySource } from '../../src/engine/node-directory-source';
import type { CausalLM, TextTokenizer } from '../../src/engine/types';
import { MODELS_DIR } from './model-files';

export interface DemoTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
  /** One user turn through the chat template, generation prompt added. */
  chatPrompt(user: string): string;
}

export interface LoadedDemo {
  model: CausalLM;
  tokenizer: DemoTokenizer;
  /** Which loader was used, for honest reporting. */
  via: string;
}

/**
 * A demo model as the lab loads an embedded one (id `embedded:<name>`, the
 * lab's own tokenizer), for scripts that evaluate and train it like the lab.
 */
export async function loadEmbeddedDemo(
  name: string,
): Promise<{ model: CausalLM; tokenizer: TextTokenizer }> {
  return loadModel(
    new NodeDirectorySource(resolve(MODELS_DIR, name), { modelId: `embedded:${name}` }),
  );
}

export async function loadDemo(name: string): Promise<LoadedDemo> {
  const source = new NodeDirectorySource(resolve(MODELS_DIR, name), { modelId: name });
  const { model, tokenizer } = await loadModel(source);
  return {
    model,
    tokenizer: {
      // Prompts are already templated text (specials included), so nothing is added.
      encode: (text) => tokenizer.encode(text, { addSpecialTokens: false }),
      // transformers.js throws on an empty id list; an empty answer is a valid result here.
      decode: (ids) => (ids.length ? tokenizer.decode(ids, { skipSpecialTokens: true }) : ''),
      chatPrompt: (user) => tokenizer.formatUserPrompt(user),
    },
    via: 'src/engine/load.ts loadModel + NodeDirectorySource',
  };
}
