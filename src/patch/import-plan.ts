// Which of the files a user handed to "Import" are patches. A folder picked
// from the Hugging Face hub holds README.md, .gitattributes,
// training_args.bin… next to the adapter; those are not failed imports but
// files the importer has no business with, so they are set aside with one
// quiet note. A file picked on its own is always tried: the user chose it,
// and the decoder's message says why it is not a patch.
import { baseName, dirName } from '../engine/file-path';
import { PATCH_FILE_SUFFIX } from './file';
import { isPeftAdapterFile } from './peft';

export interface PatchImportPlan<T extends { path: string }> {
  /** Tried as NAME.patch.safetensors. */
  patchFiles: T[];
  /** Tried as zipped PEFT adapters. */
  zips: T[];
  /** One group per folder holding PEFT adapter files, in first-seen order. */
  peftFolders: { dir: string; files: T[] }[];
  /** Files inside a picked folder that are neither; not imported, not failures. */
  ignored: T[];
}

export function planPatchImport<T extends { path: string }>(inputs: T[]): PatchImportPlan<T> {
  const plan: PatchImportPlan<T> = { patchFiles: [], zips: [], peftFolders: [], ignored: [] };
  const folders = new Map<string, T[]>();
  for (const f of inputs) {
    const name = baseName(f.path).toLowerCase();
    const inFolder = f.path.includes('/');
    if (isPeftAdapterFile(f.path)) {
      const dir = dirName(f.path);
      let group = folders.get(dir);
      if (!group) {
        group = [];
        folders.set(dir, group);
        plan.peftFolders.push({ dir, files: group });
      }
      group.push(f);
    } else if (inFolder && (name.startsWith('._') || f.path.split('/').includes('__MACOSX'))) {
      plan.ignored.push(f);
    } else if (name.endsWith('.zip')) {
      plan.zips.push(f);
    } else if (!inFolder || name.endsWith(PATCH_FILE_SUFFIX)) {
      plan.patchFiles.push(f);
    } else {
      plan.ignored.push(f);
    }
  }
  return plan;
}

/** The one note for the files set aside, or null when there are none. */
export function ignoredFilesNote(ignored: { path: string }[]): string | null {
  if (ignored.length === 0) return null;
  const shown = ignored.slice(0, 5).map((f) => baseName(f.path));
  const more = ignored.length > 5 ? `, and ${ignored.length - 5} more` : '';
  return `Skipped ${ignored.length} file${ignored.length > 1 ? 's' : ''} that ${ignored.length > 1 ? 'are' : 'is'} not a patch or PEFT adapter file: ${shown.join(', ')}${more}.`;
}
