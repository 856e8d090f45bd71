import { describe, expect, it } from 'vitest';
import type { TextTokenizer } from '../engine/types';
import { encodePromptItem } from './encode-prompt';

// Records what was encoded and with which option.
function recorder(template: boolean) {
  const seen: { text: string; special: boolean | undefined }[] = [];
  const tok = {
    encode(text: string, o?: { addSpecialTokens?: boolean }) {
      seen.push({ text, special: o?.addSpecialTokens });
      return [text.length];
    },
    formatUserPrompt: (t: string) => (template ? `<s>[USER] ${t} [BOT]` : t),
  } as unknown as TextTokenizer;
  return { tok, seen };
}

describe('encodePromptItem', () => {
  it('applies the chat template without adding special tokens twice', () => {
    const { tok, seen } = recorder(true);
    encodePromptItem(tok, { prompt: 'Hi' });
    expect(seen).toEqual([{ text: '<s>[USER] Hi [BOT]', special: false }]);
  });

  it('encodes normally when the tokenizer has no chat template', () => {
    const { tok, seen } = recorder(false);
    encodePromptItem(tok, { prompt: 'Hi' });
    expect(seen).toEqual([{ text: 'Hi', special: undefined }]);
  });

  it('encodes continuation items raw, without the template', () => {
    const { tok, seen } = recorder(true);
    encodePromptItem(tok, { prompt: 'The nurse said', meta: { style: 'continuation' } });
    expect(seen).toEqual([{ text: 'The nurse said', special: undefined }]);
  });
});
