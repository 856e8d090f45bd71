import { describe, expect, it } from 'vitest';
import type { CompositionResult } from '../../protocol/messages';
import { initialCompositionState, reduceCompositionEvent } from './composition';

const result = (id: string) => ({ patchIds: [id] }) as unknown as CompositionResult;

describe('composition slice', () => {
  it('keeps the newest report: a computed one, or the stored one after a reload', () => {
    const restored = reduceCompositionEvent(initialCompositionState, {
      type: 'composition-latest',
      requestId: 'q',
      result: result('stored'),
    });
    expect(restored.composition?.patchIds).toEqual(['stored']);
    const computed = reduceCompositionEvent(restored, {
      type: 'composition-result',
      runId: 'r',
      result: result('new'),
    });
    expect(computed.composition?.patchIds).toEqual(['new']);
    // A late restore answer does not replace a report computed meanwhile.
    const late = reduceCompositionEvent(computed, {
      type: 'composition-latest',
      requestId: 'q',
      result: result('stored'),
    });
    expect(late).toBe(computed);
    const none = reduceCompositionEvent(initialCompositionState, {
      type: 'composition-latest',
      requestId: 'q',
      result: null,
    });
    expect(none).toBe(initialCompositionState);
  });
});
