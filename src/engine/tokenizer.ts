// TextTokenizer over @huggingface/transformers, built from the bytes of
// tokenizer.json / tokenizer_config.json rather than from a hub id, so the
// same code serves the embedded demo, a hub download, a local folder and a
// directory in Node. The library is imported lazily: it is large and the
// first screen does not need it.
import type { ModelFileSource, TextTokenizer } from './types';

/** The slice of transformers.js's PreTrainedTokenizer this module uses. */
interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
  apply_chat_template(
    messages: { role: string; content: string }[],
    options: { tokenize: false; add_generation_prompt: boolean },
  ): string;
  chat_template: unknown;
  eos_token_id?: number;
}

export interface TokenizerFiles {
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  /** Contents of chat_template.jinja (newer checkpoints keep it there, not in tokenizer_config). */
  chatTemplate?: string | null;
}

/** vocab size = 1 + the largest id in the model vocab or the added tokens. */
function vocabSizeOf(json: unknown): number {
  const j = json as { model?: { vocab?: unknown }; added_tokens?: { id: number }[] };
  let max = -1;
  const vocab = j.model?.vocab;
  if (Array.isArray(vocab))
    max = vocab.length - 1; // Unigram: [[piece, score], ...]
  else if (vocab && typeof vocab === 'object') {
    for (const id of Object.values(vocab as Record<string, number>)) if (id > max) max = id;
  }
  for (const t of j.added_tokens ?? []) if (t.id > max) max = t.id;
  return max + 1;
}

class HfTextTokenizer implements TextTokenizer {
  constructor(
    private readonly tok: HfTokenizer,
    readonly eosTokenIds: number[],
    readonly vocabSize: number,
  ) {}

  encode(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.tok.encode(text, { add_special_tokens: options.addSpecialTokens ?? true });
  }

  decode(ids: number[], options: { skipSpecialTokens?: boolean } = {}): string {
    // transformers.js throws on an empty list; a model whose first token is
    // EOS generates nothing, and every caller (collection, evaluation, the
    // playground) wants '' for that, not an aborted run.
    if (ids.length === 0) return '';
    return this.tok.decode(ids, { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  /**
   * With a chat template the result already holds any BOS the template adds,
   * so encode it with addSpecialTokens: false (as HF's apply_chat_template does).
   */
  formatUserPrompt(userText: string): string {
    if (!this.tok.chat_template) return userText;
    return this.tok.apply_chat_template([{ role: 'user', content: userText }], {
      tokenize: false,
      add_generation_prompt: true,
    });
  }
}

type TokenizerClass = new (j: unknown, c: unknown) => HfTokenizer;

/**
 * The class tokenizer_config.json names, as AutoTokenizer picks it: a name
 * transformers.js does not export falls back to the base class; a name it
 * exports must be a tokenizer (the base class or a subclass). Any other
 * export (AutoTokenizer itself, a config or model class, a function) would
 * build an object whose first encode throws a TypeError, so it is refused
 * here with the name. Own properties only: "constructor" or "__proto__" are
 * not exports.
 */
function tokenizerClass(lib: Record<string, unknown>, raw: unknown): TokenizerClass {
  const base = lib.PreTrainedTokenizer as TokenizerClass;
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'string') {
    throw new Error(
      `tokenizer_config.json "tokenizer_class" must be a string, got ${JSON.stringify(raw)}`,
    );
  }
  const name = raw.replace(/Fast$/, '');
  if (!Object.hasOwn(lib, name)) return base;
  const Cls = lib[name];
  if (
    typeof Cls !== 'function' ||
    !(Cls === base || (Cls as { prototype: unknown }).prototype instanceof base)
  ) {
    throw new Error(
      `tokenizer_config.json "tokenizer_class" is "${raw}", which is not a tokenizer class of transformers.js`,
    );
  }
  return Cls as TokenizerClass;
}

/** Builds a tokenizer from parsed tokenizer files; the class comes from tokenizer_class like AutoTokenizer. */
export async function createTokenizer(files: TokenizerFiles): Promise<TextTokenizer> {
  const lib = (await import('@huggingface/transformers')) as unknown as Record<string, unknown>;
  const config = { ...files.tokenizerConfig };
  if (files.chatTemplate && config.chat_template === undefined)
    config.chat_template = files.chatTemplate;
  const Cls = tokenizerClass(lib, config.tokenizer_class);
  let tok: HfTokenizer;
  try {
    tok = new Cls(files.tokenizerJson, config);
  } catch (e) {
    throw new Error(
      `could not build the tokenizer from tokenizer.json: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const eos = typeof tok.eos_token_id === 'number' ? [tok.eos_token_id] : [];
  return new HfTextTokenizer(tok, eos, vocabSizeOf(files.tokenizerJson));
}

function parseJsonFile(bytes: Uint8Array, file: string, label: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(
      `${file} of ${label} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Reads tokenizer.json (required), tokenizer_config.json and chat_template.jinja (optional) from a source. */
export async function loadTokenizer(
  source: ModelFileSource,
  opts: { signal?: AbortSignal } = {},
): Promise<TextTokenizer> {
  const [tj, tc, ct] = await Promise.all([
    source.read('tokenizer.json', { signal: opts.signal }),
    source.read('tokenizer_config.json', { signal: opts.signal }),
    source.read('chat_template.jinja', { signal: opts.signal }),
  ]);
  if (!tj) {
    throw new Error(
      `${source.label} has no tokenizer.json; Patch Lab needs the fast-tokenizer file to tokenize text`,
    );
  }
  return createTokenizer({
    tokenizerJson: parseJsonFile(tj, 'tokenizer.json', source.label),
    tokenizerConfig: tc
      ? (parseJsonFile(tc, 'tokenizer_config.json', source.label) as Record<string, unknown>)
      : {},
    chatTemplate: ct ? new TextDecoder().decode(ct) : null,
  });
}
