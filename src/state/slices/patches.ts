// The patch library as the UI shows it: the list, the applied stack, the
// user's keys, and a log of import results (one line per file, the latest
// result per file name, so re-importing a refused file with the override
// replaces its line). File bytes for downloads never enter the store: the
// client helper that asked for them receives them (src/client/patches.ts).
import type {
  ImportFileResult,
  LabEvent,
  PatchSummary,
  SigningKeyInfo,
  TrustedKeyInfo,
} from '../../protocol/messages';
import { sliceReducer } from './slice';

export interface PatchesState {
  patches: PatchSummary[];
  /** False until the worker first reported the library. */
  patchesLoaded: boolean;
  /** The stack M+P uses, in order. */
  activePatchIds: string[];
  signingKeys: { own: SigningKeyInfo | null; trusted: TrustedKeyInfo[] };
  importLog: ImportFileResult[];
  /** The most recent soft delete, for undo; null once undone or superseded by a restore. */
  lastDeleted: { id: string; name: string } | null;
}

export const initialPatchesState: PatchesState = {
  patches: [],
  patchesLoaded: false,
  activePatchIds: [],
  signingKeys: { own: null, trusted: [] },
  importLog: [],
  lastDeleted: null,
};

function patchPatchesEvent(s: PatchesState, e: LabEvent): Partial<PatchesState> | null {
  switch (e.type) {
    case 'patch-library': {
      const lastDeleted =
        s.lastDeleted && e.patches.some((p) => p.id === s.lastDeleted?.id) ? null : s.lastDeleted;
      return {
        patches: e.patches,
        patchesLoaded: true,
        activePatchIds: e.activePatchIds,
        lastDeleted,
      };
    }
    case 'patch-import-result': {
      const rest = s.importLog.filter((r) => r.fileName !== e.result.fileName);
      return { importLog: [...rest, e.result] };
    }
    case 'patch-deleted':
      return { lastDeleted: { id: e.id, name: e.name } };
    case 'signing-keys':
      return { signingKeys: { own: e.own, trusted: e.trusted } };
    case 'patch-file':
      // Delivered to the caller by src/client/patches.ts; nothing to keep.
      return {};
    default:
      return null;
  }
}

/** The user dismissed the import messages. */
export function clearImportLog(): Partial<PatchesState> {
  return { importLog: [] };
}

/** The user dismissed the undo offer. */
export function dismissUndo(): Partial<PatchesState> {
  return { lastDeleted: null };
}

/** The patches slice's reducer: every event goes through it; events of other features leave it as it was. */
export const reducePatchesEvent = sliceReducer(patchPatchesEvent);
