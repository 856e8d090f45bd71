// Which src/ folder may import which, checked on an import graph
// (import-graph.ts). docs/ARCHITECTURE.md draws the same picture; this file
// is the one that fails a test when the code stops matching it.
import type { ImportEdge } from './import-graph';

/** The domain layers: pure TypeScript, shared by the worker, Node scripts and (tensor-free parts) the page. */
const DOMAIN = ['engine', 'hub', 'data', 'patch', 'eval', 'train'] as const;

/**
 * For each top-level folder of src/, the folders its files may import (its
 * own is always allowed). `main` is src/main.tsx, the page's entry.
 */
export const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  engine: [],
  /** Versioned IndexedDB opening: below every layer that keeps data. */
  storage: [],
  hub: ['engine'],
  data: ['engine'],
  patch: ['engine', 'data', 'storage'],
  /** hub: a classifier judge downloads and caches like a model (eval/transformers-pipeline.ts). */
  eval: ['engine', 'data', 'hub'],
  train: ['engine', 'data', 'eval', 'patch'],
  protocol: DOMAIN,
  worker: ['protocol', 'storage', ...DOMAIN],
  state: ['protocol', ...DOMAIN],
  client: ['state', 'protocol', 'storage', ...DOMAIN],
  ui: ['client', 'state', 'protocol', ...DOMAIN],
  bench: ['engine', 'hub'],
  main: ['ui', 'client', 'state', 'protocol'],
};

/** Folders whose code runs on the page: it must not pull tensor code into the page's bundle. */
export const PAGE_FOLDERS = ['main', 'ui', 'client', 'state', 'protocol'];

/** The package scope that makes a module "tensor code" (and everything that imports it, transitively). */
export const TENSOR_SCOPE = '@tensorflow/';

export interface Violation {
  rule: 'direction' | 'tensor' | 'cycle';
  from: string;
  to: string;
  message: string;
}

/** The top-level folder of a path relative to src/ ('ui/train/RunSection.tsx' → 'ui'). */
export function folderOf(path: string): string {
  if (path.startsWith('../')) return path.split('/')[1];
  const first = path.split('/')[0];
  return first === 'main.tsx' ? 'main' : first;
}

/** Tests and test helpers may reach across (fixtures, the demo corpus); only shipped code is held to the rules. */
export function isTestCode(path: string): boolean {
  return /\.test\.tsx?$/.test(path) || path.split('/').includes('testing');
}

/** Modules that carry tensor code: they import a tensor package, or (by value) such a module. */
export function tensorModules(edges: ImportEdge[]): Set<string> {
  const tensor = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of edges) {
      if (e.typeOnly || tensor.has(e.from)) continue;
      const carries = e.external ? e.to.startsWith(TENSOR_SCOPE) : tensor.has(e.to);
      if (carries) {
        tensor.add(e.from);
        grew = true;
      }
    }
  }
  return tensor;
}

/**
 * Files imported as text with Vite's ?raw: data, not code, so outside the
 * layering (the run bundle's Python, scripts/peft/*.py, which the worker
 * ships verbatim and the CLI reads from disk).
 */
export function isTextAsset(path: string): boolean {
  return path.endsWith('?raw');
}

/** Every import that breaks a rule; [] when the tree matches the layering. */
export function checkLayers(edges: ImportEdge[]): Violation[] {
  const out: Violation[] = [];
  const shipped = edges.filter((e) => !isTestCode(e.from));
  for (const e of shipped) {
    if (e.external || isTextAsset(e.to)) continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    const allowed = ALLOWED_IMPORTS[a];
    if (!allowed) {
      out.push({
        rule: 'direction',
        from: e.from,
        to: e.to,
        message: `${a}/ is not a known layer`,
      });
    } else if (!allowed.includes(b)) {
      out.push({
        rule: 'direction',
        from: e.from,
        to: e.to,
        message: `${a}/ may not import ${b}/ (allowed: ${allowed.join(', ') || 'nothing'})`,
      });
    }
  }
  const tensor = tensorModules(shipped);
  for (const e of shipped) {
    if (e.typeOnly || e.external || !PAGE_FOLDERS.includes(folderOf(e.from))) continue;
    if (tensor.has(e.to)) {
      out.push({
        rule: 'tensor',
        from: e.from,
        to: e.to,
        message: `page code ${e.from} imports tensor code ${e.to} (import it as a type, or move the tensor-free part out)`,
      });
    }
  }
  for (const cycle of folderCycles(shipped)) {
    out.push({
      rule: 'cycle',
      from: cycle[0],
      to: cycle[1],
      message: `folders import each other: ${cycle.join(' → ')}`,
    });
  }
  return out;
}

/** Cycles in the folder graph (one per strongly connected component of more than one folder). */
export function folderCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.external) continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)?.add(b);
  }
  const cycles: string[][] = [];
  const reported = new Set<string>();
  for (const start of [...next.keys()].sort()) {
    if (reported.has(start)) continue;
    // Breadth-first search back to `start` gives the shortest cycle through it.
    const prev = new Map<string, string>();
    const queue = [start];
    let found = false;
    while (queue.length > 0 && !found) {
      const cur = queue.shift() as string;
      for (const n of [...(next.get(cur) ?? [])].sort()) {
        if (n === start) {
          const path = [cur];
          while (path[0] !== start) path.unshift(prev.get(path[0]) as string);
          cycles.push([...path, start]);
          for (const f of path) reported.add(f);
          found = true;
          break;
        }
        if (!prev.has(n) && n !== start) {
          prev.set(n, cur);
          queue.push(n);
        }
      }
    }
  }
  return cycles;
}

/**
 * Files outside src/client/ that write the store: the client is its only
 * writer (components call client commands). Tests may set up state freely.
 */
export function storeWriters(files: Map<string, string>): string[] {
  return [...files]
    .filter(
      ([path, text]) =>
        !isTestCode(path) && folderOf(path) !== 'client' && /\.setState\(/.test(text),
    )
    .map(([path]) => path);
}
