// Convenience calls for the playground: run one prompt through M, M+P and M′.

import type { RunId, SamplingOptions } from '../protocol/messages';
import type { LabClient } from './lab-client';

export const DEFAULT_PLAYGROUND_SAMPLING: SamplingOptions = {
  maxNewTokens: 40,
  temperature: 0.7,
  topK: 40,
  topP: 0.95,
  seed: 42,
};

/** Starts a playground run; returns its id (to cancel) and a promise for its end. */
export function runPlayground(
  client: LabClient,
  prompt: string,
  sampling: SamplingOptions,
): { runId: RunId; done: Promise<void> } {
  const runId = client.newRunId();
  return { runId, done: client.run({ type: 'playground-run', runId, prompt, sampling }) };
}
