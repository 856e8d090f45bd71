// Which collected items a recipe trains on, and how a prompt is cut: plain
// functions without tensors, shared by the trainer, collection and the run
// bundle (run-bundle.ts), which must pick the very same items and tokens.
import type { Domain } from '../data/types';

/** Keeps a prompt's last tokens: the chat template's generation cue is at the end. */
export function truncatePrompt(ids: number[], max: number): number[] {
  return ids.length > max ? ids.slice(ids.length - max) : ids;
}

/**
 * Whether a collected item trains a recipe with these domains. Harmless
 * requests that merely look risky (prompt sets of kind 'safe') belong to the
 * harmfulness domain: without them a refusal patch learns to refuse
 * everything, and over-refusal is part of what that domain measures.
 */
export function trainsIn(itemDomain: string, domains: readonly Domain[]): boolean {
  const d = itemDomain === 'safe' ? 'harmful' : itemDomain;
  return (domains as readonly string[]).includes(d);
}
