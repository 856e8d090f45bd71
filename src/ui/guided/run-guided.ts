// The guided flow over the same client helpers the panels use, so every
// step lands in the panels' own state (cards, charts, library, playground)
// exactly as if the user had clicked through them.

import { evaluateBaselines, setEvalConfig } from '../../client/eval';
import type { LabClient } from '../../client/lab-client';
import { loadDemoPair } from '../../client/models';
import { applyPatches } from '../../client/patches';
import { runPlayground } from '../../client/playground';
import { collect, controlTraining, startTraining } from '../../client/train';
import type { EvalConfig, RunId } from '../../protocol/messages';
import type { TrainRecipe } from '../../train/recipe';
import { errorText } from '../error-text';
import {
  GUIDED_SAMPLING,
  type GuidedStepId,
  guidedCollectSettings,
  guidedEvalConfig,
  guidedPrompt,
  guidedTrainSets,
} from './guided-plan';
import type { GuidedAction } from './guided-state';

export const GUIDED_PATCH_NAME = 'demo patch';

class Cancelled extends Error {}

/** Steers one flow: the card calls cancel(); the runner checks it between awaits. */
export class GuidedRun {
  private cancelled = false;
  /** Runs started while this flow runs (their ids come from run-started events). */
  private live = new Set<RunId>();
  private trainRunId: RunId | null = null;
  /** The user's evaluation settings before the flow switched to quick ones. */
  previousEvalConfig: EvalConfig | null = null;

  constructor(
    private readonly client: LabClient,
    private readonly dispatch: (a: GuidedAction) => void,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.dispatch({ type: 'cancelled', at: Date.now() });
    // Training stops at the next update boundary and keeps its checkpoint.
    if (this.trainRunId) controlTraining(this.client, this.trainRunId, 'stop');
    for (const id of this.live) {
      if (this.client.store.getState().runs[id]?.status === 'running') this.client.cancel(id);
    }
  }

  private check(): void {
    if (this.cancelled) throw new Cancelled();
  }

  private async step(id: GuidedStepId, work: () => Promise<string | null>): Promise<void> {
    this.check();
    this.dispatch({ type: 'step', id });
    const detail = await work();
    this.check();
    this.dispatch({ type: 'step-done', id, detail });
  }

  async run(recipe: TrainRecipe): Promise<void> {
    const { client, dispatch } = this;
    dispatch({ type: 'start', at: Date.now() });
    const off = client.subscribe((e) => {
      if (e.type === 'run-started') {
        this.live.add(e.runId);
        dispatch({ type: 'run', runId: e.runId });
      }
    });
    let current: GuidedStepId = 'models';
    const step = (id: GuidedStepId, work: () => Promise<string | null>) => {
      current = id;
      return this.step(id, work);
    };
    try {
      await step('models', async () => {
        await loadDemoPair(client);
        const m = client.store.getState().models.loaded;
        if (!m.base || !m.reference) throw new Error('The demo pair did not load.');
        return `${m.base.label} and ${m.reference.label}`;
      });

      await step('baselines', async () => {
        const before = client.store.getState().evaluation.config;
        const quick = guidedEvalConfig(before);
        if (JSON.stringify(before) !== JSON.stringify(quick)) this.previousEvalConfig = before;
        setEvalConfig(client, quick);
        await evaluateBaselines(client);
        return `${quick.maxPromptsPerSet} held-out prompts per set, greedy, lexicon scorer`;
      });

      let collectedId = '';
      await step('collect', async () => {
        const sets = guidedTrainSets();
        await collect(client, sets, guidedCollectSettings(recipe)).done;
        const c = client.store.getState().train.collected;
        if (!c) throw new Error('Collecting finished without pairs.');
        collectedId = c.id;
        return `${c.count} pairs${c.cached ? ' (from the cache)' : ''}`;
      });

      let savedId: string | null = null;
      await step('train', async () => {
        const t = startTraining(client, { recipe, collectedId, patchName: GUIDED_PATCH_NAME });
        this.trainRunId = t.runId;
        await t.done;
        this.check();
        const status = client.store.getState().train.status;
        if (status?.status !== 'done') {
          throw new Error(status?.problem?.message ?? `Training ended as “${status?.status}”.`);
        }
        savedId = status.savedPatch?.id ?? null;
        return `${recipe.sftSteps} SFT + ${recipe.dpoSteps} DPO steps`;
      });

      await step('save', async () => {
        if (!savedId) throw new Error('Training finished but the patch was not saved.');
        await applyPatches(client, [savedId]);
        return `“${GUIDED_PATCH_NAME}” is in the Patches panel and applied to M+P`;
      });

      await step('playground', async () => {
        await runPlayground(client, guidedPrompt(), GUIDED_SAMPLING).done;
        return 'Answers side by side in the Playground panel';
      });
      dispatch({ type: 'finished', at: Date.now() });
    } catch (e) {
      if (!(e instanceof Cancelled) && !this.cancelled) {
        dispatch({
          type: 'step-failed',
          id: current,
          message: errorText(e),
        });
      }
    } finally {
      off();
    }
  }
}
