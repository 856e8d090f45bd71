import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, parseImports } from './import-graph';
import { checkLayers, folderCycles, storeWriters } from './layer-rules';
import { readSourceTree } from './read-tree';

const SRC = join(import.meta.dirname, '../../src');

/** The rule and offending edge of each violation, for compact expectations. */
function violations(files: Record<string, string>): string[] {
  return checkLayers(buildImportGraph(new Map(Object.entries(files)))).map(
    (v) => `${v.rule} ${v.from} -> ${v.to}`,
  );
}

describe('parseImports', () => {
  it('reads static, re-export, side-effect and dynamic imports, and which are type-only', () => {
    const text = [
      "import { a, type B } from './a';",
      "import type { C } from './c';",
      'import {',
      '  type D,',
      '  type E,',
      "} from './d';",
      "import F, { type G } from './f';",
      "export type { H } from './h';",
      "export * from './i';",
      "import './styles.css';",
      "// import { gone } from './commented';",
      '/* import { gone2 } from "./block"; */',
      "const m = await import('./lazy');",
    ].join('\n');
    expect(parseImports(text)).toEqual([
      { spec: './a', typeOnly: false },
      { spec: './c', typeOnly: true },
      { spec: './d', typeOnly: true },
      { spec: './f', typeOnly: false },
      { spec: './h', typeOnly: true },
      { spec: './i', typeOnly: false },
      { spec: './styles.css', typeOnly: false },
      { spec: './lazy', typeOnly: false },
    ]);
  });
});

describe('checkLayers on synthetic trees', () => {
  const engine = { 'engine/tf.ts': "import * as tf from '@tensorflow/tfjs-core';\nexport { tf };" };

  it('accepts imports that point down the layers', () => {
    expect(
      violations({
        ...engine,
        'engine/backend-names.ts': 'export const B = 1;',
        'protocol/messages.ts': "import type { X } from '../engine/tf';",
        'state/lab-store.ts': "import type { M } from '../protocol/messages';",
        'client/lab-client.ts': "import { s } from '../state/lab-store';",
        'ui/App.tsx':
          "import { c } from '../client/lab-client';\nimport { B } from '../engine/backend-names';",
        'worker/lab.worker.ts':
          "import { tf } from '../engine/tf';\nimport type { M } from '../protocol/messages';",
      }),
    ).toEqual([]);
  });

  it.each([
    ['state → worker', 'state/x.ts', "import { w } from '../worker/session';", 'worker/session.ts'],
    [
      'worker → state',
      'worker/x.ts',
      "import { s } from '../state/lab-store';",
      'state/lab-store.ts',
    ],
    ['worker → ui', 'worker/x.ts', "import { A } from '../ui/App';", 'ui/App.tsx'],
    [
      'worker → client',
      'worker/x.ts',
      "import { c } from '../client/lab-client';",
      'client/lab-client.ts',
    ],
    ['engine → train', 'engine/x.ts', "import { t } from '../train/trainer';", 'train/trainer.ts'],
    [
      'protocol → state',
      'protocol/x.ts',
      "import type { S } from '../state/lab-store';",
      'state/lab-store.ts',
    ],
    [
      'protocol → worker',
      'protocol/x.ts',
      "import type { W } from '../worker/session';",
      'worker/session.ts',
    ],
    ['ui → worker', 'ui/x.tsx', "import type { W } from '../worker/session';", 'worker/session.ts'],
  ])('rejects %s', (_name, from, text, to) => {
    const tree = { [from]: text, [to]: 'export const x = 1;' };
    expect(violations(tree)).toContain(`direction ${from} -> ${to}`);
  });

  it('rejects page code that imports tensor code by value, directly or through a tensor-free-looking file', () => {
    const tree = {
      ...engine,
      'engine/memory.ts': "import { tf } from './tf';\nexport const m = 1;",
      'ui/a.tsx': "import { m } from '../engine/memory';",
      'state/b.ts': "import { tf } from '../engine/tf';",
      // A type-only import carries no code: allowed.
      'ui/c.tsx': "import type { m } from '../engine/memory';",
    };
    expect(violations(tree)).toEqual([
      'tensor ui/a.tsx -> engine/memory.ts',
      'tensor state/b.ts -> engine/tf.ts',
    ]);
  });

  it('finds cycles between folders', () => {
    const tree = {
      'data/a.ts': "import { p } from '../patch/p';",
      'patch/p.ts': "import { a } from '../data/a';",
    };
    // patch → data is allowed, data → patch is not, and the pair is a cycle.
    expect(violations(tree)).toEqual(['direction data/a.ts -> patch/p.ts', 'cycle data -> patch']);
    const graph = buildImportGraph(new Map(Object.entries(tree)));
    expect(folderCycles(graph)).toEqual([['data', 'patch', 'data']]);
  });

  it('lets a file be imported as text (?raw) from outside src/, but not as code', () => {
    expect(
      violations({
        'worker/a.ts': "import py from '../../scripts/peft/train_patch.py?raw';",
        'worker/b.ts': "import { x } from '../../scripts/peft/export-run';",
      }),
    ).toEqual(['direction worker/b.ts -> scripts/peft/export-run']);
  });

  it('holds tests to none of it (fixtures may reach anywhere)', () => {
    expect(violations({ 'worker/x.test.ts': "import { s } from '../state/lab-store';" })).toEqual(
      [],
    );
  });
});

describe('the real src/ tree', () => {
  const tree = readSourceTree(SRC);

  it('has every import pointing down the layers, no page → tensor import and no folder cycle', () => {
    expect(tree.size).toBeGreaterThan(200);
    expect(checkLayers(buildImportGraph(tree))).toEqual([]);
  });

  it.each([
    ['ui/App.tsx', "import { tf } from '../engine/tf';", 'tensor ui/App.tsx -> engine/tf.ts'],
    [
      'worker/session.ts',
      "import { createLabStore } from '../state/lab-store';",
      'direction worker/session.ts -> state/lab-store.ts',
    ],
    [
      'state/lab-store.ts',
      "import { session } from '../worker/session';",
      'direction state/lab-store.ts -> worker/session.ts',
    ],
    [
      'engine/llama.ts',
      "import { DEFAULT_RECIPE } from '../train/recipe';",
      'direction engine/llama.ts -> train/recipe.ts',
    ],
  ])('fails once %s gets a wrong import', (file, line, expected) => {
    const broken = new Map(tree);
    broken.set(file, `${line}\n${tree.get(file)}`);
    const found = checkLayers(buildImportGraph(broken)).map(
      (v) => `${v.rule} ${v.from} -> ${v.to}`,
    );
    expect(found).toContain(expected);
  });

  it('has the store written by src/client/ only, and notices a component that writes it', () => {
    expect(storeWriters(tree)).toEqual([]);
    const broken = new Map(tree);
    const panel = 'ui/panels/PatchesPanel.tsx';
    broken.set(panel, `${tree.get(panel)}\nclient.store.setState({ patches: [] });`);
    expect(storeWriters(broken)).toEqual([panel]);
  });
});
