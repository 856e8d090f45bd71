import { describe, expect, it } from 'vitest';
import { ignoredFilesNote, planPatchImport } from './import-plan';

const paths = (xs: { path: string }[]) => xs.map((x) => x.path);

describe('planPatchImport', () => {
  it('imports the adapter of a real hub folder and sets the rest aside quietly', () => {
    // A PEFT prompt-tuning repository as "Import PEFT folder…" hands it over
    // (webkitRelativePath), checkpoint subfolder included.
    const plan = planPatchImport(
      [
        'bloomz-pt/.gitattributes',
        'bloomz-pt/README.md',
        'bloomz-pt/adapter_config.json',
        'bloomz-pt/adapter_model.safetensors',
        'bloomz-pt/training_args.bin',
        'bloomz-pt/checkpoint-500/adapter_config.json',
        'bloomz-pt/checkpoint-500/adapter_model.safetensors',
        'bloomz-pt/checkpoint-500/optimizer.pt',
        'bloomz-pt/exported.patch.safetensors',
        'bloomz-pt/__MACOSX/bloomz-pt/._adapter_config.json',
      ].map((path) => ({ path })),
    );
    expect(plan.peftFolders.map((g) => [g.dir, paths(g.files)])).toEqual([
      ['bloomz-pt', ['bloomz-pt/adapter_config.json', 'bloomz-pt/adapter_model.safetensors']],
      [
        'bloomz-pt/checkpoint-500',
        [
          'bloomz-pt/checkpoint-500/adapter_config.json',
          'bloomz-pt/checkpoint-500/adapter_model.safetensors',
        ],
      ],
    ]);
    expect(paths(plan.patchFiles)).toEqual(['bloomz-pt/exported.patch.safetensors']);
    expect(paths(plan.ignored)).toEqual([
      'bloomz-pt/.gitattributes',
      'bloomz-pt/README.md',
      'bloomz-pt/training_args.bin',
      'bloomz-pt/checkpoint-500/optimizer.pt',
      'bloomz-pt/__MACOSX/bloomz-pt/._adapter_config.json',
    ]);
    expect(ignoredFilesNote(plan.ignored)).toBe(
      'Skipped 5 files that are not a patch or PEFT adapter file: .gitattributes, README.md, training_args.bin, optimizer.pt, ._adapter_config.json.',
    );
  });

  it('always tries a file picked on its own, and routes zips to the PEFT importer', () => {
    const plan = planPatchImport(
      ['notes.txt', 'kind.patch.safetensors', 'adapter.PEFT.zip'].map((path) => ({ path })),
    );
    expect(paths(plan.patchFiles)).toEqual(['notes.txt', 'kind.patch.safetensors']);
    expect(paths(plan.zips)).toEqual(['adapter.PEFT.zip']);
    expect(plan.ignored).toEqual([]);
    expect(ignoredFilesNote([])).toBeNull();
  });
});
