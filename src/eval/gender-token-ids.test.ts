import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../engine/tokenizer';
import { FEMALE_TERMS, MALE_TERMS } from './gender-terms';
import { genderTokenIds } from './gender-token-ids';

const GPT2 = resolve(process.cwd(), '../shared/fixtures/hf-gpt2-random');
const json = (f: string) => JSON.parse(readFileSync(resolve(GPT2, f), 'utf8'));

describe('genderTokenIds with the real GPT-2 tokenizer', () => {
  it('finds the single-token spellings listed in GPT-2’s vocab.json', async () => {
    const tokenizer = await createTokenizer({
      tokenizerJson: json('tokenizer.json'),
      tokenizerConfig: json('tokenizer_config.json'),
      chatTemplate: null,
    });
    const ids = genderTokenIds(tokenizer);
    // From vocab.json: "Ġhe" 339, "ĠHe" 679, "he" 258, "He" 1544, "Ġhim" 683,
    // "Ġhimself" 2241, "ĠMr" 1770; "Ġshe" 673, "ĠShe" 1375, "she" 7091, "She" 3347,
    // "Ġher" 607, "Ġwoman" 2415, "Ġwomen" 1466, "Ġherself" 5223.
    expect(ids.male).toEqual(expect.arrayContaining([339, 679, 258, 1544, 683, 2241, 1770]));
    expect(ids.female).toEqual(
      expect.arrayContaining([673, 1375, 7091, 3347, 607, 2415, 1466, 5223]),
    );
    // Every id spells a listed term (GPT-2 marks a leading space with "Ġ").
    const vocab: Record<string, number> = json('vocab.json');
    const byId = new Map(Object.entries(vocab).map(([t, i]) => [i, t]));
    const spelled = (id: number) => byId.get(id)!.replace(/^Ġ/, '').toLowerCase();
    for (const id of ids.male) expect(MALE_TERMS).toContain(spelled(id));
    for (const id of ids.female) expect(FEMALE_TERMS).toContain(spelled(id));
  });
});
