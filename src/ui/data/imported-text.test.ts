import { describe, expect, it } from 'vitest';
import { importedText } from './imported-text';

describe('importedText counts what the set list shows', () => {
  it('says pairs for a CrowS-Pairs file, prompts for a prompt file, both for a mix', () => {
    expect(importedText({ prompts: 0, pairs: 1508 })).toBe('Imported 1508 pairs');
    expect(importedText({ prompts: 520, pairs: 0 })).toBe('Imported 520 prompts');
    expect(importedText({ prompts: 1, pairs: 1 })).toBe('Imported 1 prompt and 1 pair');
    expect(importedText({ prompts: 0, pairs: 0 })).toBe('Imported 0 prompts');
  });
});
