import { describe, expect, it } from 'vitest';
import { sourceForPreset } from './preset-source';
import { findPreset, MODEL_PRESETS } from './presets';

describe('sourceForPreset', () => {
  it('serves the demo pair from the app and hub presets from the hub', () => {
    expect(sourceForPreset(findPreset('demo-base')!).id).toBe('embedded:demo-base');
    expect(sourceForPreset(findPreset('demo-safe')!).id).toBe('embedded:demo-safe');
    const qwen = sourceForPreset(findPreset('Qwen/Qwen2.5-0.5B')!, {
      hub: { revision: 'v1', host: 'https://hf-mirror.com' },
    });
    expect(qwen).toMatchObject({
      id: 'hub:Qwen/Qwen2.5-0.5B@v1',
      modelId: 'Qwen/Qwen2.5-0.5B',
      revision: 'v1',
    });
  });

  it('builds a source for every preset (valid ids and names)', () => {
    for (const p of MODEL_PRESETS) expect(sourceForPreset(p).modelId).toBe(p.id);
  });
});
