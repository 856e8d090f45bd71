import { describe, expect, it } from 'vitest';
import { JobProgress } from './composition-progress';

describe('JobProgress', () => {
  it('maps each evaluation onto its share of one fixed total and never goes back', () => {
    // 3 evaluations of 10 rows each.
    const p = new JobProgress(10, 3);
    expect(p.total).toBe(30);
    expect(p.begin()).toBe(1);
    expect(p.rows(4)).toBe(4);
    expect(p.rows(2)).toBe(4); // a smaller report never moves the bar back
    expect(p.rows(10)).toBe(10);
    expect(p.begin()).toBe(2);
    expect(p.rows(0)).toBe(10);
    expect(p.rows(25)).toBe(20); // an over-count stays inside its evaluation's share
    p.begin();
    expect(p.rows(5)).toBe(25);
    expect(p.finish()).toBe(30);
  });

  it('counts nothing for a job whose evaluations were all cached, and still ends full', () => {
    const p = new JobProgress(10, 0);
    expect(p.total).toBe(1);
    expect(p.done).toBe(0);
    expect(p.finish()).toBe(1);
  });
});
