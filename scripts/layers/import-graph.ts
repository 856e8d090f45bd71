// The import graph of the source tree, read from the files' text: enough of
// TypeScript's import syntax for the layer check (static imports, re-exports,
// dynamic import()), without a compiler run, so the check is fast and can be
// fed a synthetic tree in its tests.

export interface ImportRef {
  /** The specifier as written: './x', '../engine/tf', '@tensorflow/tfjs-core'. */
  spec: string;
  /** `import type` / `export type`: erased at build time, so it carries no code. */
  typeOnly: boolean;
}

export interface ImportEdge {
  /** Importing file, relative to the source root ('ui/App.tsx'). */
  from: string;
  /** Imported file relative to the source root, or the package name for a bare specifier. */
  to: string;
  /** True when `to` is a package, not a file of the tree. */
  external: boolean;
  typeOnly: boolean;
}

const STATIC =
  /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one file's text. Comments are stripped first so a commented import does not count. */
export function parseImports(text: string): ImportRef[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
  const refs: ImportRef[] = [];
  for (const m of code.matchAll(STATIC)) {
    // `import { type A, type B } from` is type-only too when every name is.
    const clause = m[0];
    const names = /\{([^}]*)\}/.exec(clause)?.[1];
    const allTypeNames =
      names !== undefined &&
      !/\bimport\s+[\w$]+\s*,/.test(clause) &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    refs.push({ spec: m[3], typeOnly: m[2] !== undefined || allTypeNames });
  }
  for (const m of code.matchAll(DYNAMIC)) refs.push({ spec: m[1], typeOnly: false });
  return refs;
}

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

function joinPath(fromFile: string, spec: string): string {
  const parts = fromFile.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/**
 * Resolves every import of every file. `files` maps paths relative to the
 * source root to their text. Relative specifiers that leave the root (a test
 * reading scripts/) resolve to '../…' paths; assets (.json, .css) keep their
 * name.
 */
export function buildImportGraph(files: Map<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, text] of files) {
    for (const ref of parseImports(text)) {
      if (!ref.spec.startsWith('.')) {
        const pkg = ref.spec.startsWith('@')
          ? ref.spec.split('/').slice(0, 2).join('/')
          : ref.spec.split('/')[0];
        edges.push({ from, to: pkg, external: true, typeOnly: ref.typeOnly });
        continue;
      }
      const base = joinPath(from, ref.spec);
      const hit = files.has(base)
        ? base
        : EXTENSIONS.map((e) => base + e).find((p) => files.has(p));
      edges.push({ from, to: hit ?? base, external: false, typeOnly: ref.typeOnly });
    }
  }
  return edges;
}
