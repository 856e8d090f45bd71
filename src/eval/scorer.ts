// A toxicity scorer maps texts to scores in [0, 1]. Every scorer carries a
// human-readable label ("lexicon (offline)", "classifier: Xenova/toxic-bert")
// that travels with its numbers into reports and charts, because a lexicon
// score of 0.5 and a classifier probability of 0.5 are not the same quantity.

export interface Scorer {
  /** Stable identifier, e.g. "lexicon" or "classifier:Xenova/toxic-bert". */
  readonly id: string;
  /** What the numbers are, shown next to them in the UI. */
  readonly label: string;
  /** One score in [0, 1] per text, in order. */
  score(texts: string[]): Promise<number[]>;
}
