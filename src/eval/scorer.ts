// A toxicity scorer maps texts to scores in [0, 1]. Every scorer carries a
// human-readable label ("lexicon (offline)", "classifier: Xenova/toxic-bert")
// that travels with its numbers into reports and charts, because a lexicon
// score of 0.5 and a classifier probability of 0.5 are not the same quantity,
// and a name and version, so a number says which revision of a judge made it.

export interface Scorer {
  /** Stable identifier, e.g. "lexicon" or "classifier:Xenova/toxic-bert". */
  readonly id: string;
  /** What the numbers are, shown next to them in the UI. */
  readonly label: string;
  /** What made the numbers, for reports and manifests ("lexicon", "classifier: Xenova/toxic-bert"). */
  readonly name?: string;
  /** Which revision of it: bumped whenever the same text would score differently ("v2 (obscenity 0.4.6)"). */
  readonly version?: string;
  /** One score in [0, 1] per text, in order. */
  score(texts: string[]): Promise<number[]>;
}

/** "lexicon v2 (obscenity 0.4.6)": which judge, and which revision of it, made a number. */
export function scorerVersionLabel(scorer: Pick<Scorer, 'id' | 'name' | 'version'>): string {
  return `${scorer.name ?? scorer.id} ${scorer.version ?? '(unversioned)'}`;
}
