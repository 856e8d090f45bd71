// The lab's vocabulary of safety domains and prompt-set kinds, written once.
// Everything that lists them (recipe defaults, the manifest check, the
// forms, evaluation) iterates these arrays; the `satisfies` checks fail to
// compile if src/data/types.ts gains a domain these lists lack.
import type { Domain, PromptSetKind } from './types';

/** The domains a patch trains and is evaluated on, in display order. */
export const DOMAINS = ['toxicity', 'bias', 'harmful'] as const satisfies readonly Domain[];

/** Every prompt-set kind: the domains, harmless look-alikes ('safe') and general text (fluency). */
export const PROMPT_SET_KINDS = [
  ...DOMAINS,
  'safe',
  'general',
] as const satisfies readonly PromptSetKind[];

// Compile-time: each list covers its whole union.
type Missing<U, L extends readonly unknown[]> = Exclude<U, L[number]>;
const _allDomains: Missing<Domain, typeof DOMAINS> extends never ? true : never = true;
const _allKinds: Missing<PromptSetKind, typeof PROMPT_SET_KINDS> extends never ? true : never =
  true;
void _allDomains;
void _allKinds;
