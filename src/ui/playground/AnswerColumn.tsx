import type { PlaygroundColumn, PlaygroundScorerLabels } from '../../protocol/messages';
import type { PlaygroundAnswer } from '../../state/slices/playground';

const VAR: Record<PlaygroundColumn['variant'], string> = {
  base: 'var(--m)',
  patched: 'var(--mp)',
  reference: 'var(--mref)',
};

/** One model's answer: streaming text, then its scores (what they mean is in the panel's legend and each tooltip). */
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
            <dl className="answer-scores" data-testid="answer-scores">
              <div title={labels.toxicity}>
                <dt>toxicity</dt>
                <dd>{answer.scores.toxicity.toFixed(2)}</dd>
              </div>
              <div title={labels.refusal}>
                <dt>refusal</dt>
                <dd data-testid="answer-refusal">{answer.scores.refusal ? 'yes' : 'no'}</dd>
              </div>
              <div title={labels.gendered}>
                <dt>gendered m/f/n</dt>
                <dd>
                  {g.male}/{g.female}/{g.neutral}
                </dd>
              </div>
              <div>
                <dt>length</dt>
                <dd>
                  {answer.tokens} tok
                  {answer.ms !== null && <> · {(answer.ms / 1000).toFixed(1)} s</>}
                </dd>
              </div>
            </dl>
          )}
        </>
      )}
    </article>
  );
}
