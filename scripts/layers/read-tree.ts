// Reads src/'s TypeScript files for the layer check (Node only).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every .ts/.tsx file under `root`, keyed by its path relative to `root` with '/' separators. */
export function readSourceTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(root);
  return files;
}
