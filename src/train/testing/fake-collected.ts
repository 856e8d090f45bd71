// Hand-made collected data for trainer tests: deterministic random prompts
// and answers over a small vocabulary, with reference log-probs that make the
// chosen answer preferred in most (not all) pairs, so the margin filter has
// something to drop.
import type { Domain } from '../../data/types';
import { Rng } from '../../engine/rng';
import type { CollectedItem, CollectedSet } from '../collected';

export function fakeCollectedSet(opts: {
  count: number;
  vocab: number;
  seed: number;
  domains?: Domain[];
}): CollectedSet {
  const rng = new Rng(opts.seed);
  const domains = opts.domains ?? ['toxicity', 'bias', 'harmful'];
  // Ids 0 and 1 are BOS/EOS; answers are drawn from 2..vocab-1.
  const word = () => 2 + rng.int(opts.vocab - 2);
  const seq = (min: number, max: number) =>
    Array.from({ length: min + rng.int(max - min + 1) }, word);
  const items: CollectedItem[] = Array.from({ length: opts.count }, (_, i) => {
    const chosenIds = [...seq(2, 5), 1];
    const rejectedIds = seq(2, 6);
    // Mostly chosen ≈ −1.5 nats/token vs rejected ≈ −3, every 4th pair reversed.
    const reversed = i % 4 === 3;
    return {
      domain: domains[i % domains.length],
      promptText: `prompt ${i}`,
      promptIds: [0, ...seq(1, 4)],
      chosenIds,
      chosenText: chosenIds.join(' '),
      rejectedIds,
      rejectedText: rejectedIds.join(' '),
      refChosen: chosenIds.length * (reversed ? -3 : -1.5),
      refRejected: rejectedIds.length * (reversed ? -1.5 : -3),
    };
  });
  return {
    version: 1,
    id: `fake-${opts.seed}-${opts.count}`,
    baseModelId: 'test/base',
    referenceModelId: 'test/safe',
    promptSets: [],
    settings: {
      temperature: 0,
      topK: 0,
      topP: 1,
      maxAnswerTokens: 8,
      maxPromptTokens: 8,
      batchSize: 4,
      seed: opts.seed,
    },
    items,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}
