import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../engine/backends';
import {
  demoAddedTokenCase,
  gpt2MultiTokenCase,
  type MarkerCase,
} from '../../engine/testing/marker-tokenizers';
import { scriptedModel } from '../../engine/testing/scripted-model';
import type { LabEvent, ModelRole } from '../../protocol/messages';
import { session } from '../session';
import { playgroundHandlers } from './playground';

function load(role: ModelRole, c: MarkerCase): void {
  const model = scriptedModel(c.script, c.vocabSize, c.eosTokenId);
  session.models[role] = {
    role,
    model,
    tokenizer: c.tokenizer,
    config: model.config,
    source: {
      id: 't',
      label: 't',
      modelId: `scripted-${role}`,
      revision: 'r1',
      read: async () => null,
    },
    summary: {
      role,
      sourceId: 'test',
      sourceKind: 'local',
      backend: 'cpu',
      loadMs: 0,
      label: `scripted-${role}`,
      modelId: `scripted-${role}`,
      revision: 'r1',
      modelType: 'llama',
      params: 0,
      hiddenSize: model.config.hiddenSize,
      numLayers: 0,
      vocabSize: c.vocabSize,
      embeddingFingerprint: `emb1:${c.vocabSize}x${model.config.hiddenSize}:scripted`,
    },
  };
}

// Issue 14: the playground showed "…Try toassistant\nThe surgeon…". Neither
// the streamed text nor the final answer may show a chat marker.
describe('playground answers stop at a chat marker', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const loadCase of [gpt2MultiTokenCase, demoAddedTokenCase]) {
    it(`shows the answer before the marker (${loadCase.name})`, async () => {
      const c = await loadCase();
      load('base', c);
      load('reference', c);
      const events: LabEvent[] = [];
      await playgroundHandlers['playground-run']!(
        {
          type: 'playground-run',
          runId: `m-${loadCase.name}`,
          prompt: 'How do I',
          sampling: {
            maxNewTokens: c.script.length + 2,
            temperature: 0,
            topK: 0,
            topP: 1,
            seed: 5,
          },
        },
        (e) => events.push(e),
      );
      const finals = events.flatMap((e) => (e.type === 'playground-answer' ? [e] : []));
      expect(finals.map((e) => e.variant).sort()).toEqual(['base', 'reference']);
      for (const e of finals) expect(e.text).toBe(c.expected);
      const streamed = events.flatMap((e) => (e.type === 'playground-text' ? [e.text] : []));
      expect(streamed.length).toBeGreaterThan(0);
      for (const text of [...streamed, ...finals.map((e) => e.text)])
        for (const f of c.forbidden) expect(text).not.toContain(f);
      expect(events.at(-1)).toMatchObject({ type: 'run-done' });
    });
  }
});
