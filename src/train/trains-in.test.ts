import { describe, expect, it } from 'vitest';
import { trainsIn } from './trainer';

describe('trainsIn', () => {
  it('puts harmless look-alike requests in the harmfulness domain', () => {
    expect(trainsIn('safe', ['harmful'])).toBe(true);
    expect(trainsIn('safe', ['toxicity', 'bias'])).toBe(false);
  });

  it('matches the other domains by name only', () => {
    expect(trainsIn('bias', ['bias'])).toBe(true);
    expect(trainsIn('bias', ['toxicity', 'harmful'])).toBe(false);
    expect(trainsIn('general', ['toxicity', 'bias', 'harmful'])).toBe(false);
  });
});
