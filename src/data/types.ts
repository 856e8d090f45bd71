// Prompt sets: the one shape every data source (built-in demo sets, imported
// benchmark files) is turned into before training or evaluation use it.

export type Domain = 'toxicity' | 'bias' | 'harmful';
/** `safe` = harmless requests that look risky (over-refusal); `general` = fluency. */
export type PromptSetKind = Domain | 'safe' | 'general';

export interface PromptItem {
  /** The user's turn, plain text (the chat template is applied later). */
  prompt: string;
  /** Optional id from the source file (row number, benchmark id). */
  id?: string;
  /** Optional free-form labels from the source (e.g. bias_type, category). */
  meta?: Record<string, string>;
}

export interface PromptSet {
  name: string;
  kind: PromptSetKind;
  /** Where it came from, shown in the UI (file name, "embedded demo (held out)"). */
  source: string;
  split: 'train' | 'eval';
  items: PromptItem[];
}

/** CrowS-Pairs-style minimal pairs for likelihood-based bias measurement. */
export interface SentencePair {
  /** The more stereotypical sentence. */
  more: string;
  /** The less stereotypical sentence. */
  less: string;
  biasType?: string;
  id?: string;
}

export interface SentencePairSet {
  name: string;
  source: string;
  pairs: SentencePair[];
}
