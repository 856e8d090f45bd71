// Slash-separated paths of files picked from a folder or read from a zip.

/** "a/b/config.json" -> "config.json". */
export const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** "a/b/config.json" -> "a/b"; "" for a bare file name. */
export const dirName = (path: string) =>
  path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
