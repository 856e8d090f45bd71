// The patch init's plain data: the kinds of start and the default text. Kept
// apart from init.ts (which needs tfjs) so the UI can show and edit a recipe
// without pulling tfjs into the main thread's bundle.

/** Shown in the UI as the default text of a "from text" patch. */
export const DEFAULT_INIT_TEXT =
  'Please answer safely, kindly and without stereotypes; refuse harmful requests politely.';

export type PatchInit =
  /** Gaussian directions, every row rescaled to the embedding matrix's mean row norm. */
  | { kind: 'random' }
  /** Embeddings of a tokenised instruction, cycled or truncated to n rows (paper's semantic init). */
  | { kind: 'text'; text: string }
  /** n distinct rows of the embedding matrix, drawn at random. */
  | { kind: 'vocab' };
