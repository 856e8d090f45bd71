import { useEffect, useState } from 'react';

/** A number input that keeps the user's typing and commits only valid values. */
export function NumberField({
  label,
  value,
  min,
  max,
  step,
  help,
  onCommit,
  testId,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  help?: string;
  onCommit: (v: number) => void;
  testId?: string;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max;
  return (
    <label className="field">
      {label}
      <input
        type="number"
        value={text}
        min={min}
        max={max}
        step={step}
        aria-invalid={!valid}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && v >= min && v <= max)
            onCommit(v);
        }}
      />
      {!valid ? (
        <span className="note" role="alert">
          Enter a number from {min} to {max}.
        </span>
      ) : (
        help && <span className="muted">{help}</span>
      )}
    </label>
  );
}
