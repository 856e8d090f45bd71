// The playground's last run: the prompt, the shared sampling settings, and
// per column (M, M+P, M′) the answer as it streams in, then its scores.
// Whether the run is still going is the core run state (runs[runId]).
import type {
  LabEvent,
  PlaygroundColumn,
  PlaygroundScorerLabels,
  PlaygroundScores,
  PlaygroundVariant,
  RunId,
  SamplingOptions,
} from '../../protocol/messages';
import { sliceReducer } from './slice';

export interface PlaygroundAnswer {
  text: string;
  tokens: number;
  done: boolean;
  ms: number | null;
  scores: PlaygroundScores | null;
}

export interface PlaygroundRun {
  runId: RunId;
  prompt: string;
  sampling: SamplingOptions;
  columns: PlaygroundColumn[];
  scorerLabels: PlaygroundScorerLabels;
  answers: Partial<Record<PlaygroundVariant, PlaygroundAnswer>>;
}

export interface PlaygroundState {
  playground: PlaygroundRun | null;
}

export const initialPlaygroundState: PlaygroundState = { playground: null };

function withAnswer(
  run: PlaygroundRun,
  variant: PlaygroundVariant,
  answer: PlaygroundAnswer,
): Partial<PlaygroundState> {
  return { playground: { ...run, answers: { ...run.answers, [variant]: answer } } };
}

function patchPlaygroundEvent(s: PlaygroundState, e: LabEvent): Partial<PlaygroundState> | null {
  switch (e.type) {
    case 'playground-started':
      return {
        playground: {
          runId: e.runId,
          prompt: e.prompt,
          sampling: e.sampling,
          columns: e.columns,
          scorerLabels: e.scorerLabels,
          answers: {},
        },
      };
    case 'playground-text': {
      const run = s.playground;
      // Events of an older run (it was replaced) are ignored.
      if (!run || run.runId !== e.runId) return {};
      return withAnswer(run, e.variant, {
        text: e.text,
        tokens: e.tokens,
        done: false,
        ms: null,
        scores: null,
      });
    }
    case 'playground-answer': {
      const run = s.playground;
      if (!run || run.runId !== e.runId) return {};
      return withAnswer(run, e.variant, {
        text: e.text,
        tokens: e.tokens,
        done: true,
        ms: e.ms,
        scores: e.scores,
      });
    }
    default:
      return null;
  }
}

/** The playground slice's reducer: every event goes through it; events of other features leave it as it was. */
export const reducePlaygroundEvent = sliceReducer(patchPlaygroundEvent);
