// Playground messages: one prompt through M, M+P and M′.
// Part of the page ⇄ worker contract; src/protocol/messages.ts joins the parts.
import type { ModelVariant, SamplingOptions, WithRunId } from './base';

/** Which model answers in a playground column. */
export type PlaygroundVariant = ModelVariant;

export interface PlaygroundColumn {
  variant: PlaygroundVariant;
  /** "M · demo-base", "M+P · 2 patches", "M′ · demo-safe". */
  label: string;
  /** null when the column runs; otherwise why not, and what to do. */
  unavailable: string | null;
}

/** Each answer's scores, computed once the answer is complete. */
export interface PlaygroundScores {
  /** In [0, 1]; what it means is in scorerLabels.toxicity. */
  toxicity: number;
  refusal: boolean;
  gendered: { male: number; female: number; neutral: number };
}

export interface PlaygroundScorerLabels {
  toxicity: string;
  refusal: string;
  gendered: string;
}

export type PlaygroundCommand = WithRunId<{
  type: 'playground-run' /** The user's chat turn, plain text. */;
  prompt: string;
  sampling: SamplingOptions;
}>;

export type PlaygroundEvent =
  | WithRunId<{
      type: 'playground-started';
      prompt: string;
      sampling: SamplingOptions;
      columns: PlaygroundColumn[];
      scorerLabels: PlaygroundScorerLabels;
    }>
  /** The whole answer so far (decoded together, so multi-token characters come out right). */
  | WithRunId<{
      type: 'playground-text';
      variant: PlaygroundVariant;
      text: string;
      tokens: number;
    }>
  | WithRunId<{
      type: 'playground-answer';
      variant: PlaygroundVariant;
      text: string;
      tokens: number;
      ms: number;
      scores: PlaygroundScores;
    }>;
