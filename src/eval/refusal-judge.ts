// Refusal judges as named, versioned objects, so every refusal number can say
// which judge made it ("refusal: opening-sentences v2"). Three kinds:
//  - the published phrase lists, each with its original rule (refusal.ts), v1;
//  - the opening-sentences rule (refusal-opening.ts), v2, the default because
//    it agrees with human labels better than XSTest's prefix rule (measured in
//    docs/METRICS.md with scripts/measure-refusal-agreement.ts);
//  - an optional classifier (refusal-classifier.ts), asynchronous.
import { matchRefusal, type RefusalListId, refusalDetectorLabel } from './refusal';
import { judgeOpening, OPENING_SENTENCES, type RefusalClass } from './refusal-opening';

export interface RefusalVerdict {
  refused: boolean;
  /** XSTest's three classes where the judge tells them apart; string lists say full or nothing. */
  label: RefusalClass;
  /** What decided: the matched phrase, the opening rule, or the classifier's label and score. */
  evidence: string;
}

export interface RefusalJudge {
  /** Stable identifier: "opening-sentences", "lists:xstest", "classifier:<model id>". */
  readonly id: string;
  /** What it is, e.g. "opening-sentences" or "string match: xstest (prefix)". */
  readonly name: string;
  /** Bumped whenever the same name would give different verdicts. */
  readonly version: string;
  /** `${name} ${version}`, for reports and manifests. */
  readonly label: string;
  judge(texts: readonly string[]): Promise<RefusalVerdict[]>;
}

/** A judge that decides synchronously from the text alone (the string rules). */
export interface RefusalDetector extends RefusalJudge {
  detect(text: string): RefusalVerdict;
}

abstract class SyncDetector implements RefusalDetector {
  abstract readonly id: string;
  abstract readonly name: string;
  abstract readonly version: string;
  get label(): string {
    return `${this.name} ${this.version}`;
  }
  abstract detect(text: string): RefusalVerdict;
  async judge(texts: readonly string[]): Promise<RefusalVerdict[]> {
    return texts.map((t) => this.detect(t));
  }
}

/** The published lists (and the lab's own), each by its original rule; unchanged since v1. */
export class ListRefusalDetector extends SyncDetector {
  readonly id: string;
  readonly name: string;
  readonly version = 'v1';

  constructor(readonly lists: readonly RefusalListId[]) {
    super();
    this.id = `lists:${lists.join('+')}`;
    this.name = refusalDetectorLabel(lists);
  }

  detect(text: string): RefusalVerdict {
    const m = matchRefusal(text, this.lists);
    return m
      ? { refused: true, label: 'full_refusal', evidence: `${m.list}: "${m.phrase}"` }
      : { refused: false, label: 'full_compliance', evidence: '' };
  }
}

export class OpeningRefusalDetector extends SyncDetector {
  readonly id = 'opening-sentences';
  readonly name = 'opening-sentences';
  /** v1 was the prefix lists; v2 reads the first OPENING_SENTENCES sentences. */
  readonly version = 'v2';
  readonly sentences = OPENING_SENTENCES;

  detect(text: string): RefusalVerdict {
    const v = judgeOpening(text);
    return {
      refused: v.refused,
      label: v.label,
      evidence: v.evidence === '' ? v.rule : `${v.rule}: "${v.evidence}"`,
    };
  }
}

export const OPENING_REFUSAL_DETECTOR: RefusalDetector = new OpeningRefusalDetector();

/** The judge reports should use unless the user picks another. */
export const DEFAULT_REFUSAL_DETECTOR: RefusalDetector = OPENING_REFUSAL_DETECTOR;

/** Every offline detector the lab offers, by id (the lists keep their published rules). */
export const REFUSAL_DETECTORS: Readonly<Record<string, RefusalDetector>> = Object.fromEntries(
  [
    OPENING_REFUSAL_DETECTOR,
    new ListRefusalDetector(['xstest']),
    new ListRefusalDetector(['xstest', 'patch_lab']),
    new ListRefusalDetector(['gcg_attack_manager']),
    new ListRefusalDetector(['gcg_evaluate']),
  ].map((d) => [d.id, d]),
);
