import { describe, expect, it } from 'vitest';
import { refusalChoiceOf } from './settings';

describe('refusalChoiceOf (a stored refusal judge choice)', () => {
  it('keeps a known rule and a classifier, trimmed, with downloads off unless exactly true', () => {
    expect(refusalChoiceOf({ kind: 'rule', id: 'lists:xstest' })).toEqual({
      kind: 'rule',
      id: 'lists:xstest',
    });
    expect(refusalChoiceOf({ kind: 'classifier', modelId: ' org/m ', allowRemote: 'yes' })).toEqual(
      { kind: 'classifier', modelId: 'org/m', allowRemote: false },
    );
  });

  it('drops anything else, so the default rule runs', () => {
    for (const bad of [
      null,
      5,
      'rule',
      { kind: 'rule', id: 'no-such-rule' },
      { kind: 'rule', id: 'constructor' },
      { kind: 'classifier', modelId: '' },
      { kind: 'classifier', modelId: 7 },
      { kind: 'other' },
    ]) {
      expect(refusalChoiceOf(bad)).toBeUndefined();
    }
  });
});
