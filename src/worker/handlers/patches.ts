// Patch library commands: list, rename, delete/undo, download, PEFT export,
// import (many files), compose, apply, and the user's signing keys. The work
// is in PatchLibrary; this file turns commands into runs and posts results.

import type { LabCommand, PatchCommand, RunId } from '../../protocol/messages';
import { loadedBase, patchLibrary, postLibrary } from '../patch-library-worker';
import { session } from '../session';
import type { HandlersOf, Post } from './handler';

/** Wraps one library operation as a run: started, the work, the refreshed list, done. */
async function asRun(
  cmd: Extract<LabCommand, { runId: RunId }>,
  label: string,
  post: Post,
  work: () => Promise<void>,
): Promise<void> {
  post({ type: 'run-started', runId: cmd.runId, kind: 'patch', label });
  await work();
  await postLibrary(post);
  post({ type: 'run-done', runId: cmd.runId });
}

async function postKeys(post: Post): Promise<void> {
  const lib = await patchLibrary();
  post({ type: 'signing-keys', ...(await lib.keyInfo()) });
}

export const patchesHandlers: HandlersOf<PatchCommand> = {
  'patches-refresh': (cmd, post) =>
    asRun(cmd, 'Reading the patch library', post, () => postKeys(post)),

  'patch-rename': (cmd, post) =>
    asRun(cmd, 'Renaming a patch', post, async () => {
      await (await patchLibrary()).rename(cmd.id, cmd.name);
    }),

  'patch-delete': (cmd, post) =>
    asRun(cmd, 'Deleting a patch', post, async () => {
      const removed = await (await patchLibrary()).delete(cmd.id);
      post({ type: 'patch-deleted', runId: cmd.runId, ...removed });
    }),

  'patch-restore': (cmd, post) =>
    asRun(cmd, 'Restoring a patch', post, async () => {
      await (await patchLibrary()).restore(cmd.id);
    }),

  'patch-download': (cmd, post) =>
    asRun(cmd, 'Writing the patch file', post, async () => {
      const file = await (await patchLibrary()).download(cmd.id, cmd.sign);
      post({ type: 'patch-file', runId: cmd.runId, ...file });
      if (cmd.sign) await postKeys(post);
    }),

  'patch-export-peft': (cmd, post) =>
    asRun(cmd, 'Writing the PEFT adapter', post, async () => {
      const lib = await patchLibrary();
      const summary = await lib.summary(cmd.id, loadedBase());
      // PEFT records the base's layer and head counts; only a fitting loaded base can say them.
      const base = session.models.base;
      const model = base && summary.fit?.ok ? base.config : null;
      const file = await lib.exportPeft(cmd.id, cmd.sign, model);
      post({ type: 'patch-file', runId: cmd.runId, ...file });
      if (cmd.sign) await postKeys(post);
    }),

  'patch-import': (cmd, post) =>
    asRun(cmd, `Importing ${cmd.files.length} file(s)`, post, async () => {
      const lib = await patchLibrary();
      const inputs = [];
      for (const [i, f] of cmd.files.entries()) {
        post({
          type: 'run-progress',
          runId: cmd.runId,
          done: i,
          total: cmd.files.length,
          message: `Reading ${f.name}`,
        });
        inputs.push({
          path: f.webkitRelativePath || f.name,
          bytes: new Uint8Array(await f.arrayBuffer()),
        });
      }
      const results = await lib.importFiles(inputs, {
        base: loadedBase(),
        acceptModified: cmd.acceptModified,
      });
      for (const result of results) post({ type: 'patch-import-result', runId: cmd.runId, result });
    }),

  'patch-compose': (cmd, post) =>
    asRun(cmd, 'Stacking patches', post, async () => {
      await (await patchLibrary()).compose(cmd.ids, cmd.name);
    }),

  'patch-apply': (cmd, post) =>
    asRun(
      cmd,
      cmd.ids.length ? 'Applying patches' : 'Removing the applied patch',
      post,
      async () => {
        session.activePatchIds = await (await patchLibrary()).setActive(cmd.ids, {
          allowInvalid: cmd.allowInvalid,
          base: loadedBase(),
        });
      },
    ),

  'key-generate': (cmd, post) =>
    asRun(cmd, 'Making a signing key', post, async () => {
      await (await patchLibrary()).generateKey();
      await postKeys(post);
    }),

  'key-export-public': (cmd, post) =>
    asRun(cmd, 'Writing the public key file', post, async () => {
      const file = await (await patchLibrary()).exportPublicKey(cmd.label);
      post({ type: 'patch-file', runId: cmd.runId, ...file });
      await postKeys(post);
    }),

  'key-trust': (cmd, post) =>
    asRun(cmd, 'Trusting a key', post, async () => {
      await (await patchLibrary()).trust(cmd.text, cmd.label);
      await postKeys(post);
    }),

  'key-untrust': (cmd, post) =>
    asRun(cmd, 'Removing a trusted key', post, async () => {
      await (await patchLibrary()).untrust(cmd.fingerprint);
      await postKeys(post);
    }),
};
