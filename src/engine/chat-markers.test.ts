import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerTokens, chatMarkersOf, stopAtMarker, withoutPartialMarker } from './chat-markers';
import { createTokenizer } from './tokenizer';
import type { TextTokenizer } from './types';

const json = (dir: string, file: string) =>
  JSON.parse(readFileSync(resolve(process.cwd(), dir, file), 'utf8'));

// GPT-2's tokenizer has no added tokens for "<|user|>" / "<|assistant|>": the
// template's markers are runs of ordinary tokens.
const GPT2 = '../shared/fixtures/hf-gpt2-random';
const MULTI_TOKEN_TEMPLATE =
  "{% for m in messages %}{{ '<|' + m['role'] + '|>\\n' + m['content'] + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

async function gpt2WithTemplate(): Promise<TextTokenizer> {
  return createTokenizer({
    tokenizerJson: json(GPT2, 'tokenizer.json'),
    tokenizerConfig: {
      ...json(GPT2, 'tokenizer_config.json'),
      chat_template: MULTI_TOKEN_TEMPLATE,
    },
  });
}

describe('chat markers never reach a decoded answer', () => {
  it('finds the multi-token markers of a template over GPT-2 and cuts the answer before them', async () => {
    const tok = await gpt2WithTemplate();
    const markers = chatMarkersOf(tok);
    expect(markers.texts).toEqual(['<|user|>', '<|assistant|>']);
    for (const seq of markers.sequences) expect(seq.length).toBeGreaterThan(1);
    // The answer: the model opened a new turn mid-sentence.
    const ids = [
      ...tok.encode(' Try to', { addSpecialTokens: false }),
      ...tok.encode('<|assistant|>\nThe surgeon', { addSpecialTokens: false }),
    ];
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe(' Try to<|assistant|>\nThe surgeon');
    expect(tok.decode(answerTokens(tok, markers, ids), { skipSpecialTokens: true })).toBe(
      ' Try to',
    );
  });

  it('also cuts a marker the model spelled with other tokens than its canonical encoding', async () => {
    const tok = await gpt2WithTemplate();
    const markers = chatMarkersOf(tok);
    const spelled = [...'<|user|>'].flatMap((c) => tok.encode(c, { addSpecialTokens: false }));
    expect(spelled).not.toEqual(markers.sequences[0]);
    const ids = [
      ...tok.encode(' Fine.', { addSpecialTokens: false }),
      ...spelled,
      ...tok.encode(' more'),
    ];
    expect(tok.decode(answerTokens(tok, markers, ids))).toBe(' Fine.');
  });

  it('cuts at an added turn token of the demo tokenizer, role word included', async () => {
    const DEMO = 'public/models/demo-base';
    const tok = await createTokenizer({
      tokenizerJson: json(DEMO, 'tokenizer.json'),
      tokenizerConfig: json(DEMO, 'tokenizer_config.json'),
    });
    const markers = chatMarkersOf(tok);
    expect(markers.texts).toEqual(['<|im_start|>user', '<|im_end|>', '<|im_start|>assistant']);
    const imStart = 1;
    const ids = [
      ...tok.encode(' Try to', { addSpecialTokens: false }),
      imStart,
      ...tok.encode('assistant\nThe surgeon', { addSpecialTokens: false }),
    ];
    // What skipSpecialTokens alone produced (the bug of issue 14).
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe(' Try toassistant\nThe surgeon');
    expect(tok.decode(answerTokens(tok, markers, ids), { skipSpecialTokens: true })).toBe(
      ' Try to',
    );
  });

  it('stops generation once a row holds a marker, not before', async () => {
    const tok = await gpt2WithTemplate();
    const stop = stopAtMarker(tok, chatMarkersOf(tok));
    if (!stop) throw new Error('expected a stop test for a template with markers');
    const answer = tok.encode(' Try to say', { addSpecialTokens: false });
    expect(stop(answer)).toBe(false);
    const marker = tok.encode('<|user|>', { addSpecialTokens: false });
    expect(stop([...answer, ...marker.slice(0, -1)])).toBe(false);
    expect(stop([...answer, ...marker])).toBe(true);
  });

  it('leaves an answer alone when the tokenizer has no chat template', async () => {
    const tok = await createTokenizer({
      tokenizerJson: json(GPT2, 'tokenizer.json'),
      tokenizerConfig: json(GPT2, 'tokenizer_config.json'),
    });
    const markers = chatMarkersOf(tok);
    expect(markers.texts).toEqual([]);
    const ids = tok.encode('<|user|> stays, it is text here', { addSpecialTokens: false });
    expect(answerTokens(tok, markers, ids)).toEqual(ids);
    expect(stopAtMarker(tok, markers)).toBeUndefined();
  });

  it('holds back a streamed tail that could still become a marker, and nothing else', async () => {
    const markers = chatMarkersOf(await gpt2WithTemplate());
    expect(withoutPartialMarker(markers, ' Try to<|assist')).toBe(' Try to');
    expect(withoutPartialMarker(markers, ' Try to<')).toBe(' Try to');
    expect(withoutPartialMarker(markers, ' a < b')).toBe(' a < b');
    expect(withoutPartialMarker(markers, ' Try to')).toBe(' Try to');
  });
});
