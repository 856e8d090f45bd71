import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it('uses binary units, three significant digits', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    // 12 345 / 1024 = 12.06
    expect(formatBytes(12_345)).toBe('12.1 KiB');
    // Qwen2.5-0.5B's embedding matrix: 151 936 × 896 × 4 bytes = 544 538 624 = 519.3 MiB.
    expect(formatBytes(544_538_624)).toBe('519 MiB');
    expect(formatBytes(1024 ** 3)).toBe('1.00 GiB');
    expect(formatBytes(4294901760)).toBe('4.00 GiB');
  });

  it('says "—" when there is no size', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});
