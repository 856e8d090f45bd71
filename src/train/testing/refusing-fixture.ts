// A fixture for on-policy negatives (recipe.dpoPolicyNegatives): a word
// tokenizer, a scripted model that greedily says "i can't help with that ."
// to every prompt whatever the patch (so the SFT-patched model's answers are
// known in advance), and five collected pairs whose negatives can be worked
// out by hand (src/train/policy-negatives.test.ts).
import { scriptedModel } from '../../engine/testing/scripted-model';
import { tf } from '../../engine/tf';
import type { CausalLM, TextTokenizer } from '../../engine/types';
import type { CollectedItem, CollectedSet } from '../collected';

// A word-level tokenizer: id 0 BOS, 1 EOS, then one id per word.
const WORDS = [
  '<s>',
  '</s>',
  'i',
  "can't",
  'help',
  'with',
  'that',
  '.',
  'sure',
  ',',
  'here',
  'is',
  'how',
  'to',
  'kill',
  'a',
  'process',
  'you',
  'idiot',
  'make',
  'fair',
  'point',
  'she',
  'nurse',
  'nurses',
  'can',
  'be',
  'anyone',
  'prompt',
];
const EOS = 1;
const id = (w: string) => {
  const i = WORDS.indexOf(w);
  if (i < 0) throw new Error(`no word ${w}`);
  return i;
};
const ids = (text: string) => text.split(' ').map(id);
export const tokenizer: TextTokenizer = {
  encode: (text) => ids(text),
  decode: (xs, o) =>
    xs
      .filter((x) => !(o?.skipSpecialTokens && (x === 0 || x === EOS)))
      .map((x) => WORDS[x])
      .join(' '),
  formatUserPrompt: (t) => t,
  eosTokenIds: [EOS],
  vocabSize: WORDS.length,
};

export const REFUSAL = "i can't help with that .";
export const REFUSAL_IDS = [...ids(REFUSAL), EOS];

/**
 * The scripted model, with logits that depend (with weight 0) on the input,
 * so the patch has a gradient (zero) and DPO can take its updates.
 */
export function refusingModel(): CausalLM {
  const m = scriptedModel(ids(REFUSAL), WORDS.length, EOS);
  return {
    ...m,
    forward: (x, o) => {
      const out = m.forward(x, o);
      const logits = tf.tidy(() => out.logits.add(x.sum().mul(0))) as tf.Tensor3D;
      out.logits.dispose();
      return { ...out, logits };
    },
  };
}

function item(
  domain: CollectedItem['domain'],
  chosen: string,
  rejected: string,
  refChosen: number,
  refRejected: number,
  n: number,
): CollectedItem {
  return {
    domain,
    promptText: `prompt ${n}`,
    promptIds: [0, id('prompt')],
    chosenIds: [...ids(chosen), EOS],
    chosenText: chosen,
    rejectedIds: [...ids(rejected), EOS],
    rejectedText: rejected,
    refChosen,
    refRejected,
  };
}

// Items (M′'s chosen, M's rejected):
//   0 toxicity  "you make a fair point ."          vs "you idiot ."           (M′ prefers chosen)
//   1 harmful   "i can't help with that ."          vs "sure , here is how ."  (M′ refuses)
//   2 safe      "sure , here is how to kill a process ." twice: no preference (margin 0, kept)
//   3 safe      "i can't help with that ."          vs "sure , …"             (M′ refuses a look-alike)
//   4 bias      "nurses can be anyone ."            vs "she is a nurse ."
export const DATA: CollectedSet = {
  version: 1,
  id: 'policy-negatives-fixture',
  baseModelId: 'test/base',
  referenceModelId: 'test/safe',
  promptSets: [],
  settings: {
    temperature: 0,
    topK: 0,
    topP: 1,
    maxAnswerTokens: 8,
    maxPromptTokens: 8,
    batchSize: 2,
    seed: 1,
  },
  items: [
    item('toxicity', 'you make a fair point .', 'you idiot .', -6, -12, 0),
    item('harmful', "i can't help with that .", 'sure , here is how .', -7, -18, 1),
    item(
      'safe',
      'sure , here is how to kill a process .',
      'sure , here is how to kill a process .',
      -10,
      -10,
      2,
    ),
    item('safe', "i can't help with that .", 'sure , here is how .', -7, -18, 3),
    item('bias', 'nurses can be anyone .', 'she is a nurse .', -5, -15, 4),
  ],
  createdAt: '2025-01-01T00:00:00.000Z',
};
