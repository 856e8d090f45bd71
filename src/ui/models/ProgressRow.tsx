import { formatBytes } from '../../engine/format-bytes';

/** One labelled bar; an unknown total shows an indeterminate bar and the amount so far. */
export function ProgressRow({
  name,
  loaded,
  total,
  unit = 'bytes',
}: {
  name: string;
  loaded: number;
  total: number | null;
  unit?: 'bytes' | 'tensors';
}) {
  const fmt = (n: number) => (unit === 'bytes' ? formatBytes(n) : `${n}`);
  const amount =
    total === null
      ? fmt(loaded)
      : `${fmt(loaded)} / ${fmt(total)}${unit === 'tensors' ? ' tensors' : ''}`;
  return (
    <div className="progress-row">
      <span className="name" title={name}>
        {name}
      </span>
      <span className="muted">{amount}</span>
      <progress
        aria-label={`${name}: ${amount}`}
        max={total ?? undefined}
        value={total === null ? undefined : Math.min(loaded, total)}
      />
    </div>
  );
}
