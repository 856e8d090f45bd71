import { describe, expect, it } from 'vitest';
import type { LabEvent, PatchSummary } from '../../protocol/messages';
import { initialLabState, type LabState, reduceLabEvent } from '../lab-store';
import { clearImportLog } from './patches';

/** Folds events through the real store reducer, as the client does. */
function apply(s: LabState, ...events: LabEvent[]): LabState {
  let state = s;
  for (const e of events) state = { ...state, ...reduceLabEvent(state, e) };
  return state;
}

function summary(id: string, name: string): PatchSummary {
  return {
    id,
    name,
    origin: 'imported',
    manifest: {
      formatVersion: 1,
      name,
      createdAt: '2025-01-01T00:00:00.000Z',
      base: { id: 'm', revision: 'r', architecture: 'gpt2', hiddenSize: 2, fingerprint: null },
      domains: [],
      recipe: null,
      metrics: {},
      parents: [],
      tensorSha256: '0'.repeat(64),
    },
    nVirtual: 1,
    hidden: 2,
    sizeBytes: 100,
    verification: { state: 'unsigned', message: 'not signed' },
    plainDownloadSigned: false,
    notes: [],
    fit: null,
    savedAt: 1,
  };
}

describe('patches slice', () => {
  it('takes the library list and the applied stack from the worker', () => {
    const s = apply(initialLabState, {
      type: 'patch-library',
      patches: [summary('a', 'A'), summary('b', 'B')],
      activePatchIds: ['b', 'a'],
    });
    expect(s.patchesLoaded).toBe(true);
    expect(s.patches.map((p) => p.name)).toEqual(['A', 'B']);
    expect(s.activePatchIds).toEqual(['b', 'a']);
  });

  it('keeps one import line per file, the latest result winning', () => {
    const refused = {
      fileName: 'x.patch.safetensors',
      ok: false,
      message: 'modified',
      code: 'CONTENT_MODIFIED',
      patchId: null,
      notes: [],
    };
    const other = { ...refused, fileName: 'y.zip', ok: true, code: null, message: 'ok' };
    const accepted = { ...refused, ok: true, code: null, message: 'Imported', patchId: 'p' };
    const s = apply(
      initialLabState,
      { type: 'patch-import-result', runId: 'r1', result: refused },
      { type: 'patch-import-result', runId: 'r1', result: other },
      { type: 'patch-import-result', runId: 'r2', result: accepted },
    );
    expect(s.importLog.map((r) => [r.fileName, r.message])).toEqual([
      ['y.zip', 'ok'],
      ['x.patch.safetensors', 'Imported'],
    ]);
    expect({ ...s, ...clearImportLog() }.importLog).toEqual([]);
  });

  it('offers undo after a delete and withdraws it once the patch is back', () => {
    const deleted = apply(
      initialLabState,
      { type: 'patch-deleted', runId: 'r', id: 'a', name: 'A' },
      { type: 'patch-library', patches: [summary('b', 'B')], activePatchIds: [] },
    );
    expect(deleted.lastDeleted).toEqual({ id: 'a', name: 'A' });
    const restored = apply(deleted, {
      type: 'patch-library',
      patches: [summary('a', 'A'), summary('b', 'B')],
      activePatchIds: [],
    });
    expect(restored.lastDeleted).toBeNull();
  });

  it('stores key info and keeps file bytes out of the store', () => {
    const s = apply(
      initialLabState,
      {
        type: 'signing-keys',
        own: { algorithm: 'Ed25519', fingerprint: 'ab'.repeat(32), createdAt: 5 },
        trusted: [],
      },
      {
        type: 'patch-file',
        runId: 'r',
        fileName: 'a.patch.safetensors',
        mime: 'application/octet-stream',
        bytes: new Uint8Array([1, 2, 3]),
      },
    );
    expect(s.signingKeys.own?.algorithm).toBe('Ed25519');
    expect(JSON.stringify(s)).not.toContain('a.patch.safetensors');
  });
});
