// How a prompt item becomes token ids, shared by evaluation (and meant for
// collection/training too, so a patch is judged on prompts formatted the way
// it was trained). Chat-style items go through the tokenizer's chat template;
// items marked meta.style = 'continuation' (BOLD, the demo's sentence starts)
// are text to be continued and are encoded raw.
import type { PromptItem } from '../data/types';
import type { TextTokenizer } from '../engine/types';

export function encodePromptItem(tokenizer: TextTokenizer, item: PromptItem): number[] {
  if (item.meta?.style === 'continuation') return tokenizer.encode(item.prompt);
  const formatted = tokenizer.formatUserPrompt(item.prompt);
  // A chat template writes its own special tokens (BOS, role markers) into the
  // text; adding them again would double BOS. Without a template the text is
  // returned unchanged and is encoded like any text.
  return formatted === item.prompt
    ? tokenizer.encode(formatted)
    : tokenizer.encode(formatted, { addSpecialTokens: false });
}
