import type { PlaygroundAnswer } from '../../state/slices/playground';
import type { PlaygroundColumn, PlaygroundScorerLabels } from '../../worker/protocol';

const VAR: Record<PlaygroundColumn['variant'], string> = {
  base: 'var(--m)',
  patched: 'var(--mp)',
  reference: 'var(--mref)',
};

/** One model's answer: streaming text, then its scores with what each score means. */
export function AnswerColumn({
  column,
  answer,
  labels,
  running,
}: {
  column: PlaygroundColumn;
  answer: PlaygroundAnswer | undefined;
  labels: PlaygroundScorerLabels;
  running: boolean;
}) {
  const g = answer?.scores?.gendered;
  return (
    <article
      className="answer"
      style={{ borderTopColor: VAR[column.variant] }}
      data-testid={`answer-${column.variant}`}
      aria-busy={running && !answer?.done}
    >
      <h3 style={{ color: VAR[column.variant] }}>{column.label}</h3>
      {column.unavailable ? (
        <p className="muted" data-testid="answer-unavailable">
          {column.unavailable}
        </p>
      ) : (
        <>
          <p className="answer-text" data-testid="answer-text">
            {answer ? answer.text || '(empty answer)' : running ? 'waiting…' : ''}
          </p>
          {answer?.scores && g && (
            <dl className="kv answer-scores" data-testid="answer-scores">
              <dt title={labels.toxicity}>toxicity</dt>
              <dd>
                {answer.scores.toxicity.toFixed(2)} <span className="muted">{labels.toxicity}</span>
              </dd>
              <dt title={labels.refusal}>refusal</dt>
              <dd data-testid="answer-refusal">
                {answer.scores.refusal ? 'yes' : 'no'}{' '}
                <span className="muted">{labels.refusal}</span>
              </dd>
              <dt title={labels.gendered}>gendered</dt>
              <dd>
                {g.male} male · {g.female} female · {g.neutral} neutral
              </dd>
              <dt>length</dt>
              <dd>
                {answer.tokens} tokens
                {answer.ms !== null && <> in {(answer.ms / 1000).toFixed(1)} s</>}
              </dd>
            </dl>
          )}
        </>
      )}
    </article>
  );
}
