// The demo's prompt sets (src/data/builtin/demo-*.json). Train sets come from
// the training templates and lexicon entries (M′ has seen these prompts with
// safe answers; the patch is trained on them). Eval sets use only held-out
// material: a held-out template, or a training template with a held-out
// profession / target / topic — never a prompt that is in any corpus.
import type { PromptItem, PromptSet, PromptSetKind } from '../../src/data/types';
import { Rng } from '../../src/engine/rng';
import { cap, fill, story } from './corpus';
import * as L from './lexicon';

const TRAIN_SOURCE = 'embedded demo (training templates)';
const EVAL_SOURCE = 'embedded demo (held out)';

function set(
  name: string,
  kind: PromptSetKind,
  split: 'train' | 'eval',
  items: PromptItem[],
): PromptSet {
  return {
    name,
    kind,
    source: split === 'train' ? TRAIN_SOURCE : EVAL_SOURCE,
    split,
    items: items.map((it, i) => ({ ...it, id: `${name}-${i}` })),
  };
}

/** A deterministic sample of `n` distinct items (order shuffled by the seed). */
function sample<T>(rng: Rng, xs: T[], n: number): T[] {
  return rng.shuffle([...xs]).slice(0, Math.min(n, xs.length));
}

function dedupe(items: PromptItem[]): PromptItem[] {
  const seen = new Set<string>();
  return items.filter((it) => !seen.has(it.prompt) && seen.add(it.prompt));
}

function cross<A, B>(as: readonly A[], bs: readonly B[]): [A, B][] {
  return as.flatMap((a) => bs.map((b) => [a, b] as [A, B]));
}

/** Training template × training item pairs: the ones in the corpora (`held` false) or the held-out ones (true). */
function pairs<A, B>(as: readonly A[], bs: readonly B[], held: boolean): [A, B][] {
  return as.flatMap((a, i) =>
    bs.flatMap((b, j) => (L.heldOutPair(i, j) === held ? [[a, b] as [A, B]] : [])),
  );
}

const toxItem = (tpl: string, tg: L.Target): PromptItem => ({
  prompt: fill(tpl, { a: tg.ask, A: cap(tg.ask) }),
  meta: { target: tg.ask },
});
const biasChat = (tpl: string, p: L.Profession): PromptItem => ({
  prompt: fill(tpl, { p: p.name }),
  meta: { style: 'chat', profession: p.name, stereotype: p.stereo === 'f' ? 'female' : 'male' },
});
const biasCont = (tpl: string, p: L.Profession): PromptItem => ({
  prompt: fill(tpl, { p: p.name }),
  meta: {
    style: 'continuation',
    profession: p.name,
    stereotype: p.stereo === 'f' ? 'female' : 'male',
  },
});
const request = (tpl: string, x: L.Topic): PromptItem => ({
  prompt: fill(tpl, { x: x.ask }),
  meta: { topic: x.ask },
});

export function buildPromptSets(seed: number): PromptSet[] {
  const rng = new Rng(seed ^ 0x5e75);
  const allTargets = [...L.TARGETS_TRAIN, ...L.TARGETS_EVAL];
  const allProfs = [...L.PROFESSIONS_TRAIN, ...L.PROFESSIONS_EVAL];

  const toxTrain = [
    ...sample(
      rng,
      pairs(L.TOX_TEMPLATES_TRAIN, L.TARGETS_TRAIN, false).map(([a, b]) => toxItem(a, b)),
      145,
    ),
    ...L.TOX_DIRECT_TRAIN.map((prompt) => ({ prompt, meta: { target: 'assistant' } })),
  ];
  const toxEval = [
    // A third each: held-out pairs, held-out templates, held-out targets.
    ...sample(
      rng,
      pairs(L.TOX_TEMPLATES_TRAIN, L.TARGETS_TRAIN, true).map(([a, b]) => toxItem(a, b)),
      20,
    ),
    ...sample(
      rng,
      cross(L.TOX_TEMPLATES_EVAL, allTargets).map(([a, b]) => toxItem(a, b)),
      20,
    ),
    ...sample(
      rng,
      cross(L.TOX_TEMPLATES_TRAIN, L.TARGETS_EVAL).map(([a, b]) => toxItem(a, b)),
      17,
    ),
    ...L.TOX_DIRECT_EVAL.map((prompt) => ({ prompt, meta: { target: 'assistant' } })),
  ];

  const biasTrain = [
    ...sample(
      rng,
      pairs(L.BIAS_CHAT_TEMPLATES_TRAIN, L.PROFESSIONS_TRAIN, false).map(([a, b]) =>
        biasChat(a, b),
      ),
      96,
    ),
    ...sample(
      rng,
      pairs(L.BIAS_CONT_TEMPLATES_TRAIN, L.PROFESSIONS_TRAIN, false).map(([a, b]) =>
        biasCont(a, b),
      ),
      54,
    ),
  ];
  const biasEval = [
    // Per style, a third each: held-out pairs, held-out templates, held-out professions.
    ...sample(
      rng,
      pairs(L.BIAS_CHAT_TEMPLATES_TRAIN, L.PROFESSIONS_TRAIN, true).map(([a, b]) => biasChat(a, b)),
      10,
    ),
    ...sample(
      rng,
      cross(L.BIAS_CHAT_TEMPLATES_EVAL, allProfs).map(([a, b]) => biasChat(a, b)),
      10,
    ),
    ...sample(
      rng,
      cross(L.BIAS_CHAT_TEMPLATES_TRAIN, L.PROFESSIONS_EVAL).map(([a, b]) => biasChat(a, b)),
      10,
    ),
    ...sample(
      rng,
      pairs(L.BIAS_CONT_TEMPLATES_TRAIN, L.PROFESSIONS_TRAIN, true).map(([a, b]) => biasCont(a, b)),
      10,
    ),
    ...sample(
      rng,
      cross(L.BIAS_CONT_TEMPLATES_EVAL, allProfs).map(([a, b]) => biasCont(a, b)),
      10,
    ),
    ...sample(
      rng,
      cross(L.BIAS_CONT_TEMPLATES_TRAIN, L.PROFESSIONS_EVAL).map(([a, b]) => biasCont(a, b)),
      10,
    ),
  ];

  const harmTrain = sample(
    rng,
    pairs(L.REQUEST_TEMPLATES_TRAIN, L.HARM_TOPICS_TRAIN, false).map(([a, b]) => request(a, b)),
    150,
  );
  // A third each: held-out pairs, held-out templates, held-out topics.
  const heldOutRequests = (train: L.Topic[], held: L.Topic[], n: number[]) => [
    ...sample(
      rng,
      pairs(L.REQUEST_TEMPLATES_TRAIN, train, true).map(([a, b]) => request(a, b)),
      n[0],
    ),
    ...sample(
      rng,
      cross(L.REQUEST_TEMPLATES_EVAL, [...train, ...held]).map(([a, b]) => request(a, b)),
      n[1],
    ),
    ...sample(
      rng,
      cross(L.REQUEST_TEMPLATES_TRAIN, held).map(([a, b]) => request(a, b)),
      n[2],
    ),
  ];
  const harmEval = heldOutRequests(L.HARM_TOPICS_TRAIN, L.HARM_TOPICS_EVAL, [20, 20, 20]);
  const safeEval = heldOutRequests(L.SAFE_TOPICS_TRAIN, L.SAFE_TOPICS_EVAL, [14, 13, 13]);
  // Harmless look-alikes from training pairs (M′ answered these in its corpus),
  // so the lab's patch also learns not to refuse everything.
  const safeTrain = sample(
    rng,
    pairs(L.REQUEST_TEMPLATES_TRAIN, L.SAFE_TOPICS_TRAIN, false).map(([a, b]) => request(a, b)),
    100,
  );

  // Held-out prose (held-out story templates, names and animals) for perplexity.
  const general: PromptItem[] = [];
  const grng = new Rng(seed ^ 0x9e7);
  for (let i = 0; i < 36; i++) {
    general.push({
      // Known names and animals: a word never seen in training would dominate
      // the perplexity and say nothing about fluency.
      prompt: story(grng, L.STORY_TEMPLATES_EVAL, L.NAMES_TRAIN, L.ANIMALS),
      meta: { style: 'text' },
    });
  }
  for (const [q, a] of L.GENERAL_CHAT_EVAL)
    general.push({ prompt: `${q} ${a}`, meta: { style: 'text' } });

  return [
    set('demo-toxicity-train', 'toxicity', 'train', dedupe(toxTrain)),
    set('demo-bias-train', 'bias', 'train', dedupe(biasTrain)),
    set('demo-harmful-train', 'harmful', 'train', dedupe(harmTrain)),
    set('demo-safe-train', 'safe', 'train', dedupe(safeTrain)),
    set('demo-toxicity-eval', 'toxicity', 'eval', dedupe(toxEval)),
    set('demo-bias-eval', 'bias', 'eval', dedupe(biasEval)),
    set('demo-harmful-eval', 'harmful', 'eval', dedupe(harmEval)),
    set('demo-safe-eval', 'safe', 'eval', dedupe(safeEval)),
    set('demo-general-eval', 'general', 'eval', dedupe(general)),
  ];
}
