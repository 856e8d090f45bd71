// The Train panel's run-bundle export: the worker builds the zip
// (worker/handlers/run-bundle.ts); the page only offers it for download.
import type { EvalConfig } from '../protocol/messages';
import type { TrainRecipe } from '../train/recipe';
import type { LabClient } from './lab-client';
import { type PatchFileOut, runForFile } from './patches';

export const exportRunBundle = (
  client: LabClient,
  opts: { collectedId: string; recipe: TrainRecipe; name: string; evalConfig: EvalConfig },
): Promise<PatchFileOut> => runForFile(client, { type: 'train-export-bundle', ...opts });
