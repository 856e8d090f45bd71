// Convenience calls for the patch library. Commands that produce a file
// resolve with its bytes (caught from the run's patch-file event) so the UI
// can offer a download without the bytes ever entering the store.

import type { LabCommand, LabEventOf, RunId } from '../protocol/messages';
import {
  clearImportLog as clearedImportLog,
  dismissUndo as undoDismissed,
} from '../state/slices/patches';
import type { LabClient } from './lab-client';

export type PatchFileOut = Omit<LabEventOf<'patch-file'>, 'type' | 'runId'>;

type RunCmd = Extract<LabCommand, { runId: RunId }>;
type Without<C> = C extends unknown ? Omit<C, 'runId'> : never;

function runPatch(client: LabClient, cmd: Without<RunCmd>): Promise<void> {
  return client.run({ ...cmd, runId: client.newRunId() } as RunCmd);
}

/** Runs a command and returns the file its run posted. */
export async function runForFile(client: LabClient, cmd: Without<RunCmd>): Promise<PatchFileOut> {
  const runId = client.newRunId();
  let file: PatchFileOut | null = null;
  const off = client.subscribe((e) => {
    if (e.type === 'patch-file' && e.runId === runId) {
      file = { fileName: e.fileName, mime: e.mime, bytes: e.bytes };
    }
  });
  try {
    await client.run({ ...cmd, runId } as RunCmd);
  } finally {
    off();
  }
  if (!file) throw new Error('The lab worker finished without producing the file.');
  return file;
}

export const refreshPatches = (client: LabClient) => runPatch(client, { type: 'patches-refresh' });

export const renamePatch = (client: LabClient, id: string, name: string) =>
  runPatch(client, { type: 'patch-rename', id, name });

export const deletePatch = (client: LabClient, id: string) =>
  runPatch(client, { type: 'patch-delete', id });

export const restorePatch = (client: LabClient, id: string) =>
  runPatch(client, { type: 'patch-restore', id });

export const downloadPatch = (client: LabClient, id: string, sign: boolean) =>
  runForFile(client, { type: 'patch-download', id, sign });

export const exportPatchPeft = (client: LabClient, id: string, sign: boolean) =>
  runForFile(client, { type: 'patch-export-peft', id, sign });

export const importPatchFiles = (client: LabClient, files: File[], acceptModified = false) =>
  runPatch(client, { type: 'patch-import', files, acceptModified });

export const composePatches = (client: LabClient, ids: string[], name: string) =>
  runPatch(client, { type: 'patch-compose', ids, name });

export const applyPatches = (client: LabClient, ids: string[], allowInvalid = false) =>
  runPatch(client, { type: 'patch-apply', ids, allowInvalid });

export const generateSigningKey = (client: LabClient) => runPatch(client, { type: 'key-generate' });

export const exportPublicKey = (client: LabClient, label: string) =>
  runForFile(client, { type: 'key-export-public', label });

export const trustKey = (client: LabClient, text: string, label: string | null = null) =>
  runPatch(client, { type: 'key-trust', text, label });

export const untrustKey = (client: LabClient, fingerprint: string) =>
  runPatch(client, { type: 'key-untrust', fingerprint });

/** Empties the import results list. */
export function clearImportLog(client: LabClient): void {
  client.store.setState(clearedImportLog());
}

/** Withdraws the undo offer of the last delete. */
export function dismissUndo(client: LabClient): void {
  client.store.setState(undoDismissed());
}
