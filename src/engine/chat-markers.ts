// The chat template's control text (turn markers such as "<|im_start|>user",
// "<|im_end|>", "<|assistant|>") must never reach a decoded answer. A model
// that was not stopped at its end-of-turn token goes on to open a new turn:
// "…Try to<|im_start|>assistant\nThe surgeon…", which decoding with
// skipSpecialTokens turns into "Try toassistant\nThe surgeon". So an answer
// is cut at the TOKEN where the first marker begins, and generation stops
// there. A marker may be one added token followed by a role word, or (a
// template over a tokenizer without added tokens) a run of ordinary tokens
// spelling it; both are found, the second also when the model spelled the
// marker with other tokens than the canonical encoding.
import type { TextTokenizer } from './types';

export interface ChatMarkers {
  /** The markers as text: each line of template text around a user turn, e.g. "<|im_start|>assistant". */
  texts: string[];
  /** Each marker's canonical token ids (addSpecialTokens off). */
  sequences: number[][];
  /** Added tokens of the markers (decode to '' with skipSpecialTokens): any one ends an answer. */
  specialIds: Set<number>;
}

const SENTINEL = 'PATCHLABSENTINEL';

/** The template's markers, or none when the tokenizer has no chat template. */
export function chatMarkersOf(tokenizer: TextTokenizer): ChatMarkers {
  const formatted = tokenizer.formatUserPrompt(SENTINEL);
  const at = formatted.indexOf(SENTINEL);
  if (formatted === SENTINEL || at < 0) return { texts: [], sequences: [], specialIds: new Set() };
  const around = `${formatted.slice(0, at)}\n${formatted.slice(at + SENTINEL.length)}`;
  const texts = [...new Set(around.split('\n').map((l) => l.trim()))].filter((l) => l !== '');
  const sequences = texts.map((t) => tokenizer.encode(t, { addSpecialTokens: false }));
  const specialIds = new Set<number>();
  for (const seq of sequences)
    for (const id of seq)
      if (tokenizer.decode([id], { skipSpecialTokens: true }) === '') specialIds.add(id);
  return { texts, sequences, specialIds };
}

const startsWith = (ids: number[], at: number, seq: number[]) =>
  seq.length > 0 && seq.every((x, k) => ids[at + k] === x);

/**
 * The index of the token where the first marker begins (ids.length when
 * none does): a marker's added token, its canonical token run, or tokens
 * whose decoded text spells a marker.
 */
export function answerEnd(tokenizer: TextTokenizer, markers: ChatMarkers, ids: number[]): number {
  if (markers.texts.length === 0) return ids.length;
  let cut = ids.length;
  for (let i = 0; i < ids.length && cut === ids.length; i++) {
    if (markers.specialIds.has(ids[i]) || markers.sequences.some((s) => startsWith(ids, i, s)))
      cut = i;
  }
  // Spelled by other tokens: find the first token whose prefix text holds a
  // marker, then the last token from which the text still holds it.
  const hasMarker = (text: string) => markers.texts.some((t) => text.includes(t));
  const decode = (from: number, to: number) => tokenizer.decode(ids.slice(from, to));
  if (!hasMarker(decode(0, cut))) return cut;
  let end = 1;
  while (end < cut && !hasMarker(decode(0, end))) end++;
  let start = end - 1;
  while (start > 0 && !hasMarker(decode(start, end))) start--;
  return start;
}

/** The answer's tokens before the first chat marker. */
export function answerTokens(
  tokenizer: TextTokenizer,
  markers: ChatMarkers,
  ids: number[],
): number[] {
  const end = answerEnd(tokenizer, markers, ids);
  return end === ids.length ? ids : ids.slice(0, end);
}

/** A generate() stop test: true once a row's tokens hold a marker (end of turn, or a new turn). */
export function stopAtMarker(tokenizer: TextTokenizer, markers: ChatMarkers) {
  if (markers.texts.length === 0) return undefined;
  const longest = Math.max(...markers.sequences.map((s) => s.length));
  // A marker spelled by other tokens takes at most a few tokens per canonical one.
  const window = 4 * longest + 4;
  return (tokens: number[]): boolean => {
    const tail = tokens.slice(-window);
    return answerEnd(tokenizer, markers, tail) < tail.length;
  };
}

/**
 * Text streamed while an answer is still being generated, less any tail
 * that could be the start of a marker ("<|assist" before "ant|>" arrives):
 * a multi-token marker is only cut once complete, so without this a
 * partial one flashes in the playground's stream.
 */
export function withoutPartialMarker(markers: ChatMarkers, text: string): string {
  let held = 0;
  for (const t of markers.texts)
    for (let len = Math.min(t.length - 1, text.length); len > held; len--)
      if (text.endsWith(t.slice(0, len))) {
        held = len;
        break;
      }
  return held === 0 ? text : text.slice(0, text.length - held);
}
