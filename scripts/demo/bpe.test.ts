import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AutoTokenizer, env, PreTrainedTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { BpeEncoder, bytesToUnicode, tokenizerConfigJson, tokenizerJson, trainBpe } from './bpe';
import { buildCorpus, renderChat } from './corpus';

const docs = buildCorpus({ flavour: 'base', docs: 1500, seed: 5 }).map((d) => d.text);
const model = trainBpe(docs, 700);

describe('byte-level BPE trainer', () => {
  it('maps all 256 bytes to distinct printable characters (GPT-2 table)', () => {
    const t = bytesToUnicode();
    expect(new Set(t).size).toBe(256);
    expect(t[32]).toBe('Ġ');
    expect(t[10]).toBe('Ċ');
  });

  it('is deterministic and stops at the requested size', () => {
    const again = trainBpe(docs, 700);
    expect(again.merges).toEqual(model.merges);
    expect(model.vocab.size).toBe(700);
  });

  it('loads in transformers.js, matches our encoder, and round-trips', () => {
    const tok = new PreTrainedTokenizer(tokenizerJson(model), tokenizerConfigJson(model));
    const ours = new BpeEncoder(model);
    const samples = [...docs.slice(0, 200), 'Unseen wörds, émojis 🙂 and  double  spaces.\n'];
    for (const text of samples) {
      const ids = tok.encode(text, { add_special_tokens: false });
      expect(ids).toEqual(ours.encode(text));
      expect(tok.decode(ids)).toBe(text);
    }
    // Special tokens are single ids.
    expect(tok.encode('<|im_start|>user', { add_special_tokens: false })[0]).toBe(
      model.vocab.get('<|im_start|>'),
    );
  });

  it('has a ChatML chat template that matches the corpus format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-tok-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(model)));
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(model)));
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(dir)}/`;
    const tok = await AutoTokenizer.from_pretrained(basename(dir));
    const msgs = [{ role: 'user' as const, content: 'Tell me about the nurse.' }];
    const text = tok.apply_chat_template(msgs, { tokenize: false, add_generation_prompt: true });
    expect(text).toBe(renderChat(msgs, true));
    expect(text).toBe(
      '<|im_start|>user\nTell me about the nurse.<|im_end|>\n<|im_start|>assistant\n',
    );
    const withAnswer = [...msgs, { role: 'assistant' as const, content: 'They are kind.' }];
    expect(tok.apply_chat_template(withAnswer, { tokenize: false })).toBe(renderChat(withAnswer));
  });
});
