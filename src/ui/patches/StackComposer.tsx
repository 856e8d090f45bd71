import { useState } from 'react';
import type { PatchSummary } from '../../protocol/messages';
import { CompositionReportSection } from './CompositionReport';

/** Moves one item of a list from one index to another (pure). */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= list.length || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

/**
 * The selected patches in stack order (first = leftmost prefix rows).
 * Reorder by dragging or with the up/down buttons (keyboard), then stack
 * them into a new patch or apply them as they are.
 */
export function StackComposer({
  order,
  patches,
  busy,
  onReorder,
  onCompose,
  onApply,
}: {
  order: string[];
  patches: PatchSummary[];
  busy: boolean;
  onReorder: (order: string[]) => void;
  onCompose: (name: string) => void;
  onApply: () => void;
}) {
  const [name, setName] = useState('');
  const [dragging, setDragging] = useState<number | null>(null);
  const byId = new Map(patches.map((p) => [p.id, p]));
  const items = order.map((id) => byId.get(id)).filter((p): p is PatchSummary => !!p);
  if (items.length === 0) {
    return (
      <p className="muted" data-testid="stack-empty">
        Tick patches to stack or apply several at once.
      </p>
    );
  }
  const total = items.reduce((a, p) => a + p.nVirtual, 0);
  const defaultName = items.map((p) => p.name).join(' + ');

  return (
    <section className="stack" aria-label="Stack order">
      <h3>Stack ({total} tokens)</h3>
      <ol className="stack-list" data-testid="stack-list">
        {items.map((p, i) => (
          <li
            key={p.id}
            draggable
            className={dragging === i ? 'dragging' : undefined}
            onDragStart={() => setDragging(i)}
            onDragEnd={() => setDragging(null)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging !== null) onReorder(moveItem(order, dragging, i));
              setDragging(null);
            }}
          >
            <span className="drag-handle" aria-hidden>
              ⠿
            </span>
            <span className="stack-name">{p.name}</span>
            <span className="muted">{p.nVirtual} tok</span>
            <button
              type="button"
              className="ghost btn-small"
              disabled={i === 0}
              aria-label={`Move "${p.name}" up`}
              onClick={() => onReorder(moveItem(order, i, i - 1))}
            >
              ↑
            </button>
            <button
              type="button"
              className="ghost btn-small"
              disabled={i === items.length - 1}
              aria-label={`Move "${p.name}" down`}
              onClick={() => onReorder(moveItem(order, i, i + 1))}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <div className="p-row">
        <button type="button" disabled={busy} onClick={onApply} data-testid="stack-apply">
          Apply this stack
        </button>
      </div>
      <CompositionReportSection order={items.map((p) => p.id)} patches={items} />
      {items.length >= 2 && (
        <form
          className="p-row"
          onSubmit={(e) => {
            e.preventDefault();
            onCompose(name.trim() || defaultName);
          }}
        >
          <label className="field p-grow">
            New patch name
            <input
              value={name}
              placeholder={defaultName}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <button type="submit" disabled={busy} data-testid="stack-compose">
            Stack into a new patch
          </button>
        </form>
      )}
    </section>
  );
}
