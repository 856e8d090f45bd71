// The worker's one patch library and the helpers other worker code uses:
// savePatch() for the trainer to store a finished patch, activePatchStack()
// for the playground and metrics to get the applied stack. Every change posts
// the updated list, so the UI never shows a stale library.
import type { Patch } from '../patch/types';
import type { PatchSummary } from '../protocol/messages';
import type { Post } from './handlers/handler';
import { PatchLibrary } from './patch-library';
import { session } from './session';

let library: Promise<PatchLibrary> | null = null;

/** Opened on first use; IndexedDB is available inside workers. */
export function patchLibrary(): Promise<PatchLibrary> {
  library ??= PatchLibrary.open().then(async (lib) => {
    session.activePatchIds = await lib.activeIds();
    return lib;
  });
  return library;
}

/** The loaded base model as the patch checks want it, or null when none is loaded. */
export function loadedBase() {
  const s = session.models.base?.summary;
  return s
    ? {
        id: s.modelId,
        revision: s.revision,
        hiddenSize: s.hiddenSize,
        fingerprint: s.embeddingFingerprint,
      }
    : null;
}

// The worker's own postMessage, so savePatch can post from code that holds no Post.
const workerPost: Post = (e) => (globalThis as unknown as { postMessage?: Post }).postMessage?.(e);

/** Posts the library list and the applied stack. */
export async function postLibrary(post: Post = workerPost): Promise<PatchSummary[]> {
  const lib = await patchLibrary();
  const patches = await lib.list(loadedBase());
  // A deleted patch leaves the stack; keep the session in step with the store.
  session.activePatchIds = await lib.activeIds();
  post({ type: 'patch-library', patches, activePatchIds: session.activePatchIds });
  return patches;
}

/** Stores a newly trained patch in the library and posts the updated list. */
export async function savePatch(patch: Patch, post: Post = workerPost): Promise<PatchSummary> {
  const lib = await patchLibrary();
  const id = await lib.save(patch, { origin: 'trained' });
  const patches = await postLibrary(post);
  const saved = patches.find((p) => p.id === id);
  if (!saved) throw new Error('The patch was saved but is missing from the library.');
  return saved;
}

/** The applied stack (rows in order), or null when no patch is applied. */
export async function activePatchStack() {
  return (await patchLibrary()).activeStack();
}
