// Two tokenizers whose chat templates have markers of the two kinds
// chat-markers.ts handles, and the issue-14 answer each one's model would
// produce: " Try to" then a new assistant turn, " The surgeon…" after it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTokenizer } from '../tokenizer';
import type { TextTokenizer } from '../types';

const json = (dir: string, file: string) =>
  JSON.parse(readFileSync(resolve(process.cwd(), dir, file), 'utf8'));

export interface MarkerCase {
  name: string;
  tokenizer: TextTokenizer;
  vocabSize: number;
  eosTokenId: number;
  /** The answer a model ran on with: the text before the marker, the marker, more text. */
  script: number[];
  /** What the answer must be cut to. */
  expected: string;
  /** The marker's text, which must never show (with skipSpecialTokens: the role word). */
  forbidden: string[];
}

/** GPT-2 (no added tokens) with a "<|user|>"/"<|assistant|>" template: markers are runs of ordinary tokens. */
export async function gpt2MultiTokenCase(): Promise<MarkerCase> {
  const dir = '../shared/fixtures/hf-gpt2-random';
  const tokenizer = await createTokenizer({
    tokenizerJson: json(dir, 'tokenizer.json'),
    tokenizerConfig: {
      ...json(dir, 'tokenizer_config.json'),
      chat_template:
        "{% for m in messages %}{{ '<|' + m['role'] + '|>\\n' + m['content'] + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}",
    },
  });
  const enc = (t: string) => tokenizer.encode(t, { addSpecialTokens: false });
  return {
    name: 'GPT-2 with multi-token markers',
    tokenizer,
    vocabSize: tokenizer.vocabSize,
    eosTokenId: 50256,
    script: [...enc(' Try to'), ...enc('<|assistant|>\nThe surgeon')],
    expected: ' Try to',
    forbidden: ['<|assistant|>', 'assistant', 'surgeon'],
  };
}

/** The embedded demo's tokenizer: "<|im_start|>" (id 1) is an added token, the role word ordinary text. */
export async function demoAddedTokenCase(): Promise<MarkerCase> {
  const dir = 'public/models/demo-base';
  const tokenizer = await createTokenizer({
    tokenizerJson: json(dir, 'tokenizer.json'),
    tokenizerConfig: json(dir, 'tokenizer_config.json'),
  });
  const enc = (t: string) => tokenizer.encode(t, { addSpecialTokens: false });
  const imStart = 1;
  const imEnd = 2;
  return {
    name: 'demo tokenizer with added-token markers',
    tokenizer,
    vocabSize: 2048,
    eosTokenId: imEnd,
    script: [...enc(' Try to'), imStart, ...enc('assistant\nThe surgeon')],
    expected: ' Try to',
    forbidden: ['assistant', 'surgeon'],
  };
}
