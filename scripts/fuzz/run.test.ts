import { describe, expect, it } from 'vitest';
import { byDoor, formatTable } from './run';
import type { DoorReport } from './tally';

const r = (door: string, variants: number, rejected: number, slowestMs: number): DoorReport => ({
  door,
  variants,
  rejected,
  accepted: variants - rejected,
  defects: 0,
  defectExamples: [],
  slowestMs,
  peakMemoryMb: 3,
});

describe('npm run fuzz report', () => {
  it('sums the cases of one door and keeps the worst time', () => {
    const doors = byDoor([r('zip', 10, 4, 7), r('csv', 5, 5, 1), r('zip', 20, 10, 3)]);
    expect(doors.map((d) => [d.door, d.variants, d.rejected, d.accepted, d.slowestMs])).toEqual([
      ['zip', 30, 14, 16, 7],
      ['csv', 5, 5, 0, 1],
    ]);
  });

  it('prints one aligned markdown row per door', () => {
    const table = formatTable([r('zip', 30, 14, 7)]).split('\n');
    expect(table[0]).toBe(
      '| door | variants | clean rejections | accepted unchanged | defects | slowest ms | peak MB |',
    );
    expect(table[2]).toBe(
      '| zip  |       30 |               14 |                 16 |       0 |          7 |       3 |',
    );
  });
});
