// A small byte-level BPE trainer (GPT-2 style) that writes the Hugging Face
// tokenizers format, so the demo models load through the same
// @huggingface/transformers code path as hub models. Training is exact and
// deterministic: pair counts are recomputed from the word-frequency table at
// every merge, and ties break on the pair string.
import { SPECIAL } from './corpus';

/** GPT-2's byte -> printable unicode map (the "Ġ" for space, "Ċ" for newline). */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out: string[] = new Array(256);
  for (let i = 0; i < bs.length; i++) out[bs[i]] = String.fromCodePoint(cs[i]);
  return out;
}

/** The regex of HF's ByteLevel pre-tokenizer (use_regex: true). */
export const GPT2_SPLIT =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export const SPECIAL_TOKENS: readonly string[] = [
  SPECIAL.endOfText,
  SPECIAL.imStart,
  SPECIAL.imEnd,
];

const B2U = bytesToUnicode();
const encoder = new TextEncoder();

function byteLevel(word: string): string[] {
  return Array.from(encoder.encode(word), (b) => B2U[b]);
}

/** Splits text on special tokens first (they never take part in merges), as HF does with added_tokens. */
export function splitSpecial(text: string): string[] {
  const re = new RegExp(`(${SPECIAL_TOKENS.map((s) => s.replace(/[|]/g, '\\|')).join('|')})`, 'g');
  return text.split(re).filter((s) => s.length > 0);
}

export interface BpeModel {
  vocab: Map<string, number>;
  merges: [string, string][];
}

/**
 * Learns merges until the vocabulary has `vocabSize` entries (specials + 256
 * bytes + merges) or no pair occurs twice.
 */
export function trainBpe(texts: Iterable<string>, vocabSize: number): BpeModel {
  const wordFreq = new Map<string, number>();
  for (const text of texts) {
    for (const piece of splitSpecial(text)) {
      if (SPECIAL_TOKENS.includes(piece)) continue;
      for (const m of piece.matchAll(GPT2_SPLIT)) {
        wordFreq.set(m[0], (wordFreq.get(m[0]) ?? 0) + 1);
      }
    }
  }
  // Sorted so the merge order does not depend on Map insertion order.
  const words = [...wordFreq.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w, c]) => ({ syms: byteLevel(w), count: c }));

  const vocab = new Map<string, number>();
  for (const s of SPECIAL_TOKENS) vocab.set(s, vocab.size);
  for (let b = 0; b < 256; b++) vocab.set(B2U[b], vocab.size);
  const merges: [string, string][] = [];

  while (vocab.size < vocabSize) {
    const counts = new Map<string, number>();
    for (const w of words) {
      for (let i = 0; i + 1 < w.syms.length; i++) {
        const key = `${w.syms[i]} ${w.syms[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + w.count);
      }
    }
    let best = '';
    let bestCount = 1;
    for (const [k, c] of counts) {
      if (c > bestCount || (c === bestCount && best !== '' && k < best)) {
        best = k;
        bestCount = c;
      }
    }
    if (best === '') break;
    const [a, b] = best.split(' ');
    const merged = a + b;
    merges.push([a, b]);
    if (!vocab.has(merged)) vocab.set(merged, vocab.size);
    for (const w of words) {
      const s = w.syms;
      if (s.length < 2) continue;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(s[i]);
      }
      w.syms = out;
    }
  }
  return { vocab, merges };
}

/** A fast encoder equivalent to HF's for this model (used to tokenise the corpus). */
export class BpeEncoder {
  private readonly rank = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(private readonly model: BpeModel) {
    model.merges.forEach(([a, b], i) => {
      this.rank.set(`${a} ${b}`, i);
    });
  }

  private word(w: string): number[] {
    const hit = this.cache.get(w);
    if (hit) return hit;
    let syms = byteLevel(w);
    while (syms.length > 1) {
      let bestRank = Number.POSITIVE_INFINITY;
      let at = -1;
      for (let i = 0; i + 1 < syms.length; i++) {
        const r = this.rank.get(`${syms[i]} ${syms[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          at = i;
        }
      }
      if (at < 0) break;
      syms = [...syms.slice(0, at), syms[at] + syms[at + 1], ...syms.slice(at + 2)];
    }
    const ids = syms.map((s) => this.model.vocab.get(s)!);
    this.cache.set(w, ids);
    return ids;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of splitSpecial(text)) {
      const special = this.model.vocab.get(piece);
      if (special !== undefined && SPECIAL_TOKENS.includes(piece)) {
        ids.push(special);
        continue;
      }
      for (const m of piece.matchAll(GPT2_SPLIT)) ids.push(...this.word(m[0]));
    }
    return ids;
  }
}

export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** tokenizer.json in the HF tokenizers layout (the same shape as GPT-2's / SmolLM2's). */
export function tokenizerJson(model: BpeModel): unknown {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: model.vocab.get(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    },
    post_processor: {
      type: 'ByteLevel',
      add_prefix_space: true,
      trim_offsets: false,
      use_regex: true,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(model.vocab),
      merges: model.merges.map(([a, b]) => `${a} ${b}`),
    },
  };
}

export function tokenizerConfigJson(model: BpeModel): unknown {
  return {
    add_bos_token: false,
    add_eos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: Object.fromEntries(
      SPECIAL_TOKENS.map((content) => [
        String(model.vocab.get(content)),
        {
          content,
          lstrip: false,
          normalized: false,
          rstrip: false,
          single_word: false,
          special: true,
        },
      ]),
    ),
    additional_special_tokens: [SPECIAL.imStart, SPECIAL.imEnd],
    bos_token: SPECIAL.endOfText,
    eos_token: SPECIAL.imEnd,
    pad_token: SPECIAL.endOfText,
    unk_token: null,
    chat_template: CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    model_max_length: 256,
    tokenizer_class: 'GPT2Tokenizer',
  };
}
