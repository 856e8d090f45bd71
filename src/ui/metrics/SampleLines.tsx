import type { SampleLine } from './samples';

/** Sampled answers of one evaluation: prompt → text, with the scorer's verdict. */
export function SampleLines({ samples }: { samples: SampleLine[] }) {
  if (samples.length === 0) return <p className="muted">No samples for this domain.</p>;
  return (
    <ul>
      {samples.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: samples are a fixed snapshot of one result
        <li key={i}>
          <span className="muted">{s.prompt}</span> → {s.text || <i>(empty)</i>}
          {s.verdict && <span className="verdict"> · {s.verdict}</span>}
        </li>
      ))}
    </ul>
  );
}
