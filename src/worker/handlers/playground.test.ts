import { cancelRun } from '../cancellation';
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../engine/backends';
import type { TextTokenizer } from '../../engine/types';
import { makePatch } from '../../patch/fixtures/make-patch';
import { tensorSha256 } from '../../patch/hash';
import type { LabEvent, ModelRole, ModelSummary } from '../../protocol/messages';
import { createTinyLlama } from '../../train/testing/tiny-llama';
import { patchLibrary, savePatch } from '../patch-library-worker';
import { session } from '../session';
import { playgroundHandlers } from './playground';

const VOCAB = 32;
const HIDDEN = 16;

/** A test tokenizer: letters a–z are ids 2–27 (0 = bos, 1 = eos), so text round-trips. */
const letters: TextTokenizer = {
  encode: (text) =>
    [...text.toLowerCase()].filter((c) => c >= 'a' && c <= 'z').map((c) => c.charCodeAt(0) - 95),
  decode: (ids) =>
    ids
      .filter((i) => i >= 2 && i < 28)
      .map((i) => String.fromCharCode(i + 95))
      .join(''),
  formatUserPrompt: (t) => t,
  eosTokenIds: [1],
  vocabSize: VOCAB,
};

function load(role: ModelRole, seed: number): void {
  const model = createTinyLlama(seed, { vocab: VOCAB, hidden: HIDDEN });
  const summary: ModelSummary = {
    role,
    sourceId: 'test',
    sourceKind: 'local',
    backend: 'cpu',
    loadMs: 0,
    label: `tiny-${role}`,
    modelId: `tiny-${role}`,
    revision: 'r1',
    modelType: 'llama',
    params: 0,
    hiddenSize: HIDDEN,
    numLayers: 1,
    vocabSize: VOCAB,
    embeddingFingerprint: `emb1:${VOCAB}x${HIDDEN}:${seed}`,
  };
  session.models[role] = {
    role,
    model,
    tokenizer: letters,
    config: model.config,
    source: {
      id: 't',
      label: 't',
      modelId: summary.modelId,
      revision: 'r1',
      read: async () => null,
    },
    summary,
  };
}

async function run(prompt: string, runId: string): Promise<LabEvent[]> {
  const events: LabEvent[] = [];
  const handler = playgroundHandlers['playground-run']!;
  await handler(
    {
      type: 'playground-run',
      runId,
      prompt,
      sampling: { maxNewTokens: 5, temperature: 0.8, topK: 0, topP: 1, seed: 7 },
    },
    (e) => events.push(e),
  );
  return events;
}

const answers = (events: LabEvent[]) =>
  Object.fromEntries(
    events.flatMap((e) => (e.type === 'playground-answer' ? [[e.variant, e.text]] : [])),
  );

describe('playground handler', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    load('base', 1);
    load('reference', 2);
  });

  it('says why M+P cannot run without a patch, and answers with M and M′, streaming then scoring', async () => {
    const events = await run('hello there', 'r1');
    const started = events.find((e) => e.type === 'playground-started');
    expect(
      started && 'columns' in started ? started.columns.map((c) => c.unavailable) : null,
    ).toEqual([null, 'No patch is applied. Apply one in the Patches panel.', null]);
    expect(Object.keys(answers(events)).sort()).toEqual(['base', 'reference']);
    const streamed = events.filter((e) => e.type === 'playground-text' && e.variant === 'base');
    const final = events.find((e) => e.type === 'playground-answer' && e.variant === 'base');
    // Each streamed text extends the previous one, and the last equals the final answer.
    const texts = streamed.map((e) => (e.type === 'playground-text' ? e.text : ''));
    for (let i = 1; i < texts.length; i++) expect(texts[i].startsWith(texts[i - 1])).toBe(true);
    expect(final && 'text' in final ? final.text : null).toBe(texts.at(-1) ?? '');
    expect(final && 'scores' in final ? final.scores.refusal : null).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'run-done', runId: 'r1' });
  });

  it('runs M+P with the applied stack; same seed gives the same answers again', async () => {
    const patch = await makePatch({
      nVirtual: 4,
      hidden: HIDDEN,
      seed: 9,
      manifest: {
        base: {
          id: 'tiny-base',
          revision: 'r1',
          architecture: 'llama',
          hiddenSize: HIDDEN,
          fingerprint: `emb1:${VOCAB}x${HIDDEN}:1`,
        },
      },
    });
    // Large vectors so the prefix visibly steers the tiny model.
    patch.embeddings.forEach((_, i) => {
      patch.embeddings[i] *= 200;
    });
    patch.manifest.tensorSha256 = await tensorSha256(patch.embeddings);
    const saved = await savePatch(patch, () => {});
    session.activePatchIds = await (await patchLibrary()).setActive([saved.id], {
      allowInvalid: false,
      base: null,
    });
    const first = answers(await run('hello there', 'r2'));
    const second = answers(await run('hello there', 'r3'));
    expect(Object.keys(first).sort()).toEqual(['base', 'patched', 'reference']);
    expect(second).toEqual(first);
    expect(first.patched).not.toBe(first.base);
  });

  it('encodes the prompt as evaluation does: a chat template writes its own BOS, none is added', async () => {
    // A chat-template tokenizer whose encode() prepends BOS (0) unless told not to,
    // like a Llama tokenizer with add_special_tokens on.
    const seen: { text: string; special: boolean | undefined }[] = [];
    const templated: TextTokenizer = {
      ...letters,
      encode: (text, o) => {
        seen.push({ text, special: o?.addSpecialTokens });
        return [...(o?.addSpecialTokens === false ? [] : [0]), ...letters.encode(text)];
      },
      formatUserPrompt: (t) => `<bos>user ${t} assistant`,
    };
    const saved = session.models.base;
    if (!saved) throw new Error('base not loaded');
    session.models.base = { ...saved, tokenizer: templated };
    try {
      await run('hi', 'r5');
    } finally {
      session.models.base = saved;
    }
    expect(seen[0]).toEqual({ text: '<bos>user hi assistant', special: false });
  });

  it('stops when cancelled and says so', async () => {
    cancelRun('r4');
    const events = await run('hello', 'r4');
    expect(events.at(-1)).toEqual({ type: 'run-cancelled', runId: 'r4' });
    expect(events.some((e) => e.type === 'run-done')).toBe(false);
  });
});
