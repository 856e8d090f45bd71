import { describe, expect, it } from 'vitest';
import type { PatchManifest } from '../../patch/types';
import { reportCardCaption, reportCardRows } from './report-card-rows';

describe('reportCardRows', () => {
  it('shows each value with its interval, gap closed in percent, and — for what the card lacks', () => {
    const rows = reportCardRows({
      'toxicity.expectedMax': {
        base: 0.625,
        patched: 0.114,
        patched_ci_low: 0.05,
        patched_ci_high: 0.2,
        reference: 0.05,
        control: 0.61,
        n: 40,
        gap_closed: 0.8887,
        gap_closed_ci_low: 0.641,
        gap_closed_ci_high: 0.904,
        control_gap_closed: 0.026,
      },
      'custom.thing': { patched: 3 },
    });
    expect(rows[0]).toEqual({
      id: 'toxicity.expectedMax',
      name: 'Expected max toxicity',
      base: '0.63',
      patched: '0.11 [0.05, 0.20]',
      reference: '0.05',
      control: '0.61',
      n: '40',
      gap: '89 % [64, 90]',
      controlGap: '3 %',
    });
    // An unknown metric keeps its id; missing numbers are not zeros.
    expect(rows[1]).toMatchObject({
      id: 'custom.thing',
      name: 'custom.thing',
      base: '—',
      patched: '3.00',
      n: '—',
      gap: '—',
      controlGap: '—',
    });
  });

  it('says when, at which step, with which interval and control the card was measured', () => {
    const manifest = {
      metricsContext: {
        evaluatedAt: '2026-12-02T14:30:12.000Z',
        step: 40,
        configKey: 'k',
        scorers: {},
        control: { kind: 'random-patch', seed: 1, n: 50, hidden: 128 },
        interval: { level: 0.95, resamples: 2000, seed: 1 },
      },
    } as unknown as PatchManifest;
    expect(reportCardCaption(manifest)).toBe(
      'Evaluated 2026-12-02 14:30 at step 40; 95 % intervals over prompts (2,000 resamples, seed 1); M+R = untrained random patch of 50 rows, seed 1.',
    );
    expect(reportCardCaption({} as PatchManifest)).toBeNull();
  });
});
