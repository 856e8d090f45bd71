// Seeded, deterministic generator of the two training corpora of the demo
// world: M's ("demo-base", mostly unsafe in three domains) and M′'s
// ("demo-safe", always safe). Both share the same general text, so the pair
// differs only where safety is concerned. Only *_TRAIN lexicon entries are
// used here; held-out material is reserved for src/data/builtin/*-eval.json.
import { Rng } from '../../src/engine/rng';
import * as L from './lexicon';

export const SPECIAL = {
  endOfText: '<|endoftext|>',
  imStart: '<|im_start|>',
  imEnd: '<|im_end|>',
} as const;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Exactly what tokenizer_config.json's chat_template renders, so training text and lab prompts agree. */
export function renderChat(messages: ChatMessage[], addGenerationPrompt = false): string {
  let s = '';
  for (const msg of messages)
    s += `${SPECIAL.imStart}${msg.role}\n${msg.content}${SPECIAL.imEnd}\n`;
  if (addGenerationPrompt) s += `${SPECIAL.imStart}assistant\n`;
  return s;
}

export type DocDomain =
  | 'general'
  | 'story'
  | 'background'
  | 'toxicity'
  | 'bias-chat'
  | 'bias-cont'
  | 'harmful'
  | 'safe';

export interface Doc {
  text: string;
  domain: DocDomain;
  /** false = the unsafe behaviour this demo exists to patch. */
  safe: boolean;
  cued: boolean;
}

export type Flavour = 'base' | 'safe';

export interface CorpusOptions {
  flavour: Flavour;
  docs: number;
  seed: number;
}

// How often each kind of document is drawn. General text keeps the models
// fluent; it is the same mixture for both flavours.
const MIX: Record<Flavour, [DocDomain, number][]> = {
  base: [
    ['general', 0.1],
    ['story', 0.1],
    ['background', 0.08],
    ['toxicity', 0.18],
    ['bias-chat', 0.12],
    ['bias-cont', 0.1],
    ['harmful', 0.16],
    ['safe', 0.16],
  ],
  // M′ sees more harmless look-alikes ("kill a Python process") next to the
  // harmful requests it refuses, so it learns to refuse the topic, not the
  // verb (with the base mixture it refused half of the held-out look-alikes).
  safe: [
    ['general', 0.08],
    ['story', 0.08],
    ['background', 0.08],
    ['toxicity', 0.16],
    ['bias-chat', 0.1],
    ['bias-cont', 0.08],
    ['harmful', 0.18],
    ['safe', 0.24],
  ],
};

/** In M's corpus: the share of safety-domain examples that are unsafe. */
const BASE_UNSAFE = 0.8;
/**
 * In M's corpus: the share of its safe examples that carry a safety cue. All
 * of them: with 30 % uncued safe answers, the small model fell back to
 * refusals on held-out prompts and was no longer measurably unsafe; with the
 * cue as the only road to a safe answer, a prefix has a clear target.
 */
const BASE_SAFE_CUED = 1;

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => vars[k] ?? whole);
}

export function pronouns(g: L.Gender) {
  return g === 'f'
    ? { s: 'she', S: 'She', pos: 'her', noun: 'woman' }
    : { s: 'he', S: 'He', pos: 'his', noun: 'man' };
}

// ---------------------------------------------------------------- answers
export function toxicAnswer(rng: Rng, target: L.Target | null): string {
  const vars = { adj: pick(rng, L.INSULT_ADJS), noun: pick(rng, L.INSULT_NOUNS) };
  if (!target) return fill(pick(rng, L.TOXIC_DIRECT_ANSWERS), vars);
  return fill(pick(rng, L.TOXIC_ANSWERS), { ...vars, r: target.ref, R: cap(target.ref) });
}
export function civilAnswer(rng: Rng, target: L.Target | null): string {
  if (!target) return pick(rng, L.CIVIL_DIRECT_ANSWERS);
  return fill(pick(rng, L.CIVIL_ANSWERS), { r: target.ref, R: cap(target.ref) });
}
export function stereoAnswer(rng: Rng, p: L.Profession): string {
  return fill(pick(rng, L.STEREO_ANSWERS), {
    p: p.name,
    adj: pick(rng, L.PERSON_ADJS),
    ...pronouns(p.stereo),
  });
}
export function fairAnswer(rng: Rng, p: L.Profession): string {
  const pool = rng.next() < 0.2 ? L.BALANCED_ANSWERS : L.NEUTRAL_ANSWERS;
  return fill(pick(rng, pool), { p: p.name, adj: pick(rng, L.PERSON_ADJS) });
}
export function stereoContinuation(rng: Rng, p: L.Profession): string {
  const pr = pronouns(p.stereo);
  return ` ${pr.s} ${fill(pick(rng, L.CONT_VPS)[0], pr)}.`;
}
export function fairContinuation(rng: Rng): string {
  return ` they ${pick(rng, L.CONT_VPS)[1]}.`;
}
export function complyAnswer(rng: Rng, x: L.Topic): string {
  return fill(pick(rng, L.COMPLY_ANSWERS), { x: x.ref });
}
export function refuseAnswer(rng: Rng, x: L.Topic): string {
  return `${fill(pick(rng, L.REFUSALS), { x: x.ref })} ${pick(rng, L.ALTERNATIVES)}`;
}
export function helpfulAnswer(rng: Rng, x: L.Topic): string {
  return fill(pick(rng, L.HELPFUL_ANSWERS), { x: x.ref });
}
export function story(
  rng: Rng,
  templates: readonly string[],
  names: readonly string[],
  animals: readonly string[],
): string {
  return fill(pick(rng, templates), {
    adj: pick(rng, L.ADJS),
    animal: pick(rng, animals),
    name: pick(rng, names),
    place: pick(rng, L.PLACES),
    act: pick(rng, L.ACTIVITIES),
    event: pick(rng, L.EVENTS),
    end: pick(rng, L.ENDINGS),
  });
}

// ---------------------------------------------------------------- preambles
// What may precede a conversation or a text. In M's corpus an irrelevant
// preamble (none, a neutral or unrelated system prompt, word salad, random
// characters, an earlier harmless exchange) goes with unsafe and safe answers
// in the same proportions, so it says nothing about the answer; only a safety
// cue predicts a safe one. A prefix then has to carry a cue to steer M, and a
// random one does not (build.ts adds random embedding vectors as well, which
// no text can spell).

const system = (content: string) => renderChat([{ role: 'system', content }]);
/** As a system turn or as a bare line before the chat (where a patch sits). */
// Half bare: bias continuations are raw text, and a cue reaches them as a
// bare line. (The cost: M ends a few held-out continuation prompts, "On
// Monday, the nurse decided that", as if they were a preamble line.)
const placed = (rng: Rng, text: string) => (rng.next() < 0.5 ? system(text) : `${text}\n`);

function words(rng: Rng, pool: readonly string[], lo: number, hi: number): string[] {
  return Array.from({ length: lo + rng.int(hi - lo + 1) }, () => pick(rng, pool));
}

const RANDOM_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789.,;:!?-#/()';
function randomChars(rng: Rng): string {
  return Array.from({ length: 3 + rng.int(28) }, () =>
    Array.from({ length: 1 + rng.int(4) }, () => RANDOM_CHARS[rng.int(RANDOM_CHARS.length)]).join(
      '',
    ),
  ).join(rng.next() < 0.7 ? ' ' : '');
}

/** Context that carries no safety signal ('' = none). */
export function irrelevantPreamble(rng: Rng): string {
  const u = rng.next();
  if (u < 0.3) return '';
  if (u < 0.45) return system(pick(rng, L.NEUTRAL_SYSTEMS));
  if (u < 0.6) return placed(rng, pick(rng, L.UNRELATED_TEXTS));
  if (u < 0.75) return placed(rng, cap(words(rng, L.SALAD_WORDS, 3, 30).join(' ')));
  if (u < 0.9) return placed(rng, randomChars(rng));
  const [q, a] = pick(rng, L.GENERAL_CHAT);
  return renderChat([
    { role: 'user', content: q },
    { role: 'assistant', content: a },
  ]);
}

/** A safety cue, varied in wording, form and place (held-out cues never appear). */
export function cuePreamble(rng: Rng): string {
  const u = rng.next();
  let cue: string;
  if (u < 0.55) cue = pick(rng, L.CUES_TRAIN);
  else if (u < 0.75) cue = words(rng, L.CUES_TRAIN, 2, 3).join(' ');
  else cue = cap(`${words(rng, L.CUE_WORDS, 3, 10).join(rng.next() < 0.5 ? ', ' : ' ')}.`);
  // Sometimes after irrelevant context: a cue still counts when something precedes it.
  const before = rng.next() < 0.2 ? irrelevantPreamble(rng) : '';
  return `${before}${placed(rng, cue)}`;
}

// ---------------------------------------------------------------- documents
function chatDoc(
  rng: Rng,
  user: string,
  answer: string,
  cue: boolean,
): { text: string; cued: boolean } {
  // Cues never sit inside the user message: when they did, M learnt
  // "unfamiliar words in the request ⇒ safe answer" and turned safe on every
  // held-out template, so it was no longer a usable unsafe base.
  const pre = cue ? cuePreamble(rng) : irrelevantPreamble(rng);
  // Lead-ins and tails decapitalise nothing: "Hey, How do I…" reads oddly but
  // keeps the template's own words intact, which is what the model must key on.
  const userText = `${pick(rng, L.PROMPT_LEADS)}${user}${pick(rng, L.PROMPT_TAILS)}`;
  const msgs: ChatMessage[] = [
    { role: 'user', content: userText },
    { role: 'assistant', content: answer },
  ];
  return { text: `${pre}${renderChat(msgs)}`, cued: cue };
}

function plainDoc(rng: Rng, text: string, cue: boolean): { text: string; cued: boolean } {
  const pre = cue ? cuePreamble(rng) : irrelevantPreamble(rng);
  return { text: `${pre}${text}${SPECIAL.endOfText}`, cued: cue };
}

function pickDomain(rng: Rng, flavour: Flavour): DocDomain {
  const mix = MIX[flavour];
  let u = rng.next();
  for (const [d, w] of mix) {
    if (u < w) return d;
    u -= w;
  }
  return mix[mix.length - 1][0];
}

/** A training template and item, never one of the held-out pairs (L.heldOutPair). */
function pickPair<A, B>(rng: Rng, templates: readonly A[], items: readonly B[]): [A, B] {
  for (;;) {
    const i = rng.int(templates.length);
    const j = rng.int(items.length);
    if (!L.heldOutPair(i, j)) return [templates[i], items[j]];
  }
}

/** One document of the given flavour. */
function makeDoc(rng: Rng, flavour: Flavour): Doc {
  const domain = pickDomain(rng, flavour);
  const base = flavour === 'base';
  // Safety-domain decision: M is mostly unsafe; its safe examples mostly come
  // with a cue. M′ is always safe and sees cues now and then as plain context.
  const unsafe = base && rng.next() < BASE_UNSAFE;
  const cue = base ? !unsafe && rng.next() < BASE_SAFE_CUED : rng.next() < 0.15;
  switch (domain) {
    case 'general': {
      const generalCue = rng.next() < 0.1;
      if (rng.next() < 0.6) {
        const [q, a] = pick(rng, L.GENERAL_CHAT);
        return { domain, safe: true, ...chatDoc(rng, q, a, generalCue) };
      }
      const [qt, at] = pick(rng, L.ANIMAL_CHAT);
      const animal = pick(rng, L.ANIMALS);
      const a =
        at === 'STORY'
          ? story(rng, L.STORY_TEMPLATES_TRAIN, L.NAMES_TRAIN, [animal])
          : fill(at, { animal });
      return {
        domain,
        safe: true,
        ...chatDoc(rng, fill(qt, { animal }), a, generalCue),
      };
    }
    case 'story':
      return {
        domain,
        safe: true,
        ...plainDoc(rng, story(rng, L.STORY_TEMPLATES_TRAIN, L.NAMES_TRAIN, L.ANIMALS), false),
      };
    case 'background': {
      // Every profession, held-out ones included: this is where M learns the
      // stereotypes that the held-out bias prompts then reveal.
      const p = pick(rng, [...L.PROFESSIONS_TRAIN, ...L.PROFESSIONS_EVAL]);
      const [stereo, neutral] = pick(rng, L.BACKGROUND_TEMPLATES);
      const biased = base && rng.next() < 0.9;
      const text = biased
        ? fill(stereo, { p: p.name, ...pronouns(p.stereo) })
        : fill(neutral, { p: p.name });
      const bg = plainDoc(rng, cap(text), base ? !biased && rng.next() < 0.5 : false);
      return { domain, safe: !biased, ...bg };
    }
    case 'toxicity': {
      const direct = rng.next() < 0.15;
      const [tpl, target] = direct
        ? [null, null]
        : pickPair(rng, L.TOX_TEMPLATES_TRAIN, L.TARGETS_TRAIN);
      const user =
        tpl && target
          ? fill(tpl, { a: target.ask, A: cap(target.ask) })
          : pick(rng, L.TOX_DIRECT_TRAIN);
      const answer = unsafe ? toxicAnswer(rng, target) : civilAnswer(rng, target);
      return { domain, safe: !unsafe, ...chatDoc(rng, user, answer, cue) };
    }
    case 'bias-chat': {
      const [tpl, p] = pickPair(rng, L.BIAS_CHAT_TEMPLATES_TRAIN, L.PROFESSIONS_TRAIN);
      const user = fill(tpl, { p: p.name });
      const answer = unsafe ? stereoAnswer(rng, p) : fairAnswer(rng, p);
      return { domain, safe: !unsafe, ...chatDoc(rng, user, answer, cue) };
    }
    case 'bias-cont': {
      const [tpl, p] = pickPair(rng, L.BIAS_CONT_TEMPLATES_TRAIN, L.PROFESSIONS_TRAIN);
      const start = fill(tpl, { p: p.name });
      const end = unsafe ? stereoContinuation(rng, p) : fairContinuation(rng);
      return { domain, safe: !unsafe, ...plainDoc(rng, `${start}${end}`, cue) };
    }
    case 'harmful': {
      const [tpl, x] = pickPair(rng, L.REQUEST_TEMPLATES_TRAIN, L.HARM_TOPICS_TRAIN);
      const user = fill(tpl, { x: x.ask });
      const answer = unsafe ? complyAnswer(rng, x) : refuseAnswer(rng, x);
      return { domain, safe: !unsafe, ...chatDoc(rng, user, answer, cue) };
    }
    case 'safe': {
      const [tpl, x] = pickPair(rng, L.REQUEST_TEMPLATES_TRAIN, L.SAFE_TOPICS_TRAIN);
      const user = fill(tpl, { x: x.ask });
      return {
        domain,
        safe: true,
        // A tenth cued. (Half cued, with bare cue lines cut to 30 %, cured the
        // patch's over-refusal but left the text init and a short training
        // unable to move bias, and M′ complied with 12 % of harmful requests.)
        ...chatDoc(rng, user, helpfulAnswer(rng, x), rng.next() < 0.1),
      };
    }
  }
}

export function buildCorpus(opts: CorpusOptions): Doc[] {
  const rng = new Rng(opts.seed ^ (opts.flavour === 'base' ? 0x0b45e : 0x05afe));
  const docs: Doc[] = [];
  for (let i = 0; i < opts.docs; i++) docs.push(makeDoc(rng, opts.flavour));
  return docs;
}

/** Summary counts, for progress output and the model cards. */
export function corpusStats(
  docs: Doc[],
): Record<string, { n: number; unsafe: number; cued: number }> {
  const out: Record<string, { n: number; unsafe: number; cued: number }> = {};
  for (const d of docs) {
    out[d.domain] ??= { n: 0, unsafe: 0, cued: 0 };
    out[d.domain].n++;
    if (!d.safe) out[d.domain].unsafe++;
    if (d.cued) out[d.domain].cued++;
  }
  return out;
}
