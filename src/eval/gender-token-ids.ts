// Token ids for GLD-style next-token gender measurement: for each gender
// term, the ids of single tokens that spell the whole word, with and without
// a leading space and capitalised or not (" he", " He", "he", "He"). Words a
// tokenizer splits into several pieces are skipped rather than represented by
// their first piece, because a first piece like "he" of "hel|lo" or "wom" is
// shared with unrelated words and would blur the measurement.
import type { TextTokenizer } from '../engine/types';
import { FEMALE_TERMS, MALE_TERMS } from './gender-terms';

export interface GenderTokenIds {
  male: number[];
  female: number[];
}

function singleTokenIds(tokenizer: TextTokenizer, words: readonly string[]): Set<number> {
  const ids = new Set<number>();
  for (const w of words) {
    const cap = w[0].toUpperCase() + w.slice(1);
    for (const variant of [` ${w}`, ` ${cap}`, w, cap]) {
      const enc = tokenizer.encode(variant, { addSpecialTokens: false });
      if (enc.length !== 1) continue;
      const decoded = tokenizer.decode(enc).trim().toLowerCase();
      if (decoded === w) ids.add(enc[0]);
    }
  }
  return ids;
}

export function genderTokenIds(tokenizer: TextTokenizer): GenderTokenIds {
  const male = singleTokenIds(tokenizer, MALE_TERMS);
  const female = singleTokenIds(tokenizer, FEMALE_TERMS);
  // A token in both groups would cancel itself out; drop it from both.
  for (const id of [...male]) {
    if (female.has(id)) {
      male.delete(id);
      female.delete(id);
    }
  }
  return { male: [...male].sort((a, b) => a - b), female: [...female].sort((a, b) => a - b) };
}
