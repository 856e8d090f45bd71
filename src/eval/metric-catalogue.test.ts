import { describe, expect, it } from 'vitest';
import { METRIC_CATALOGUE, metricInfo } from './metric-catalogue';

describe('metric catalogue', () => {
  it('keys every entry by its own id', () => {
    for (const [key, m] of Object.entries(METRIC_CATALOGUE)) expect(m.id).toBe(key);
  });

  it('fixes the [0, 1] range of shares and scores, and leaves nats and perplexity to the data', () => {
    expect(metricInfo('harmful.refusalRate')).toMatchObject({
      unit: 'share',
      better: 'higher',
      range: [0, 1],
    });
    expect(metricInfo('bias.gld')).toMatchObject({ unit: 'nats', better: 'lower', range: null });
    expect(metricInfo('bias.crowsPairs')?.better).toBe('closer-to-half');
  });

  it('knows perplexity under any judge, and nothing it was not told', () => {
    expect(metricInfo('fluency.perplexity.M')).toMatchObject({
      name: 'Perplexity under M',
      words: 'perplexity under M',
      unit: 'perplexity',
      better: 'lower',
      scorer: 'judge',
    });
    expect(metricInfo('toxicity.nonsense')).toBeNull();
  });
});
