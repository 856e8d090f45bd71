// The one byte formatter of the lab, tensor-free so the page can use it.
// Binary units with IEC names (KiB, MiB, GiB): buffer limits, heap bounds
// and cache sizes are all powers of two, and one formatter means the model
// picker and the download row can never disagree about one file.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.50 KiB", 544 538 624 → "519 MiB"; "—" when there is no number. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
