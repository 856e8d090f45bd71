import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from './tokenizer';

// The real GPT-2 tokenizer files (a random-weight checkpoint saved by transformers).
const GPT2 = resolve(process.cwd(), '../shared/fixtures/hf-gpt2-random');
const json = (f: string) => JSON.parse(readFileSync(resolve(GPT2, f), 'utf8'));

function gpt2(tokenizerConfig: Record<string, unknown>) {
  return createTokenizer({ tokenizerJson: json('tokenizer.json'), tokenizerConfig });
}

describe('createTokenizer: tokenizer_class must name a tokenizer', () => {
  it('builds the named class (GPT2TokenizerFast → GPT2Tokenizer) and encodes', async () => {
    const tok = await gpt2({
      ...json('tokenizer_config.json'),
      tokenizer_class: 'GPT2TokenizerFast',
    });
    // "Hello" 15496, " world" 995 in GPT-2's vocab.json.
    expect(tok.encode('Hello world')).toEqual([15496, 995]);
  });

  it('falls back to the base class for a name transformers.js does not export', async () => {
    const tok = await gpt2({ tokenizer_class: 'SomeFutureTokenizer' });
    expect(tok.decode(tok.encode('Hello world'))).toBe('Hello world');
  });

  it.each(['AutoTokenizer', 'PretrainedConfig', 'AutoConfig', 'GenerationConfig'])(
    'refuses "%s", an export that is not a tokenizer',
    async (name) => {
      await expect(gpt2({ tokenizer_class: name })).rejects.toThrow(
        `tokenizer_config.json "tokenizer_class" is "${name}", which is not a tokenizer class of transformers.js`,
      );
    },
  );

  it('does not look names up the prototype chain, and refuses a non-string', async () => {
    // "constructor" is on every object's prototype, not an export: base class.
    const tok = await gpt2({ tokenizer_class: 'constructor' });
    expect(tok.encode('Hello')).toEqual([15496]);
    await expect(gpt2({ tokenizer_class: 5 })).rejects.toThrow(
      /"tokenizer_class" must be a string/,
    );
  });
});

describe('decode of an empty id list', () => {
  it('is the empty string (transformers.js itself throws)', async () => {
    const tok = await gpt2(json('tokenizer_config.json'));
    expect(tok.decode([])).toBe('');
    expect(tok.decode([], { skipSpecialTokens: true })).toBe('');
  });
});
