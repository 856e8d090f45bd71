// Time and peak memory of importing the hostile PEFT zips of issue 13 (and one
// honest adapter for comparison), each in a fresh Node process:
//   three-big   root adapter + three 500 MiB weights entries (one per folder, two without config)
//   aliased     one 500 MiB weights stream referenced by four central-directory entries
//   aliased-8   one 8 MiB stream referenced four times in one folder (under every size limit)
//   configs     2,000 folders, each with a 1 MiB adapter_config.json
//   zip64-count a ~600-byte zip whose zip64 end record declares 2^24 entries
//   honest      a 4 MiB prompt-tuning adapter (1,024 × 1,024 float32), deflated
// Peak memory is the maximum resident set size after the import minus the
// maximum before it (the zip is read from disk before that mark).
//   npm run node -- scripts/measure-zip-import.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RawZipEntry, writeRawZip } from '../src/engine/testing/zip-writer';
import { makePatch } from '../src/patch/fixtures/make-patch';
import { exportPeftFiles, importPeftAdapter } from '../src/patch/peft';

const MIB = 1024 * 1024;
const MODEL = { model: { numHeads: 2, numLayers: 2 } };

async function adapter(nVirtual: number, hidden: number) {
  return exportPeftFiles(await makePatch({ nVirtual, hidden }), MODEL);
}

const CASES: Record<string, () => Promise<Uint8Array>> = {
  'three-big': async () => {
    const files = await adapter(4, 8);
    const big = new Uint8Array(500 * MIB);
    return writeRawZip([
      { name: 'adapter_config.json', data: files['adapter_config.json'] },
      { name: 'adapter_model.safetensors', data: big, deflate: true },
      { name: 'x/adapter_model.safetensors', data: big, deflate: true },
      { name: 'y/adapter_model.safetensors', data: big, deflate: true },
    ]);
  },
  aliased: async () => {
    const files = await adapter(4, 8);
    return writeRawZip(
      [
        { name: 'adapter_config.json', data: files['adapter_config.json'] },
        { name: 'adapter_model.safetensors', data: new Uint8Array(500 * MIB), deflate: true },
      ],
      { aliases: ['a', 'b', 'c'].map((d) => ({ name: `${d}/adapter_model.safetensors`, of: 1 })) },
    );
  },
  'aliased-8': async () => {
    const files = await adapter(4, 8);
    return writeRawZip(
      [
        { name: 'adapter_config.json', data: files['adapter_config.json'] },
        { name: 'adapter_model.safetensors', data: new Uint8Array(8 * MIB), deflate: true },
      ],
      { aliases: [1, 2, 3].map(() => ({ name: 'adapter_model.safetensors', of: 1 })) },
    );
  },
  configs: async () => {
    const config = new Uint8Array(MIB).fill(0x20);
    const entries: RawZipEntry[] = [];
    for (let i = 0; i < 2000; i++) {
      entries.push({ name: `a${i}/adapter_config.json`, data: config, deflate: true });
    }
    return writeRawZip(entries);
  },
  'zip64-count': async () =>
    writeRawZip([{ name: 'adapter_config.json', data: new TextEncoder().encode('{}') }], {
      zip64Entries: 2 ** 24,
    }),
  honest: async () => {
    const files = await adapter(1024, 1024);
    return writeRawZip(
      Object.entries(files).map(([name, data]) => ({ name, data, deflate: true })),
    );
  },
};

async function child(path: string): Promise<void> {
  const bytes = new Uint8Array(readFileSync(path));
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  let what: string;
  try {
    const r = await importPeftAdapter(bytes, { sourceName: 'case.zip' });
    what = `imported ${r.patch.nVirtual}×${r.patch.hidden}`;
  } catch (e) {
    what =
      e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e);
  }
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS - rss0) / 1024;
  process.stdout.write(JSON.stringify({ what, ms, peakMb }));
}

async function main(): Promise<void> {
  const [, , flag, path] = process.argv;
  if (flag === '--child') {
    await child(path);
    return;
  }
  const only = flag ? flag.split(',') : Object.keys(CASES);
  const dir = mkdtempSync(join(tmpdir(), 'measure-zip-'));
  try {
    const self = fileURLToPath(import.meta.url);
    for (const name of only) {
      const zip = await CASES[name]();
      const file = join(dir, `${name}.zip`);
      writeFileSync(file, zip);
      const out = execFileSync(process.execPath, [...process.execArgv, self, '--child', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        timeout: 120_000,
      });
      const r = JSON.parse(out) as { what: string; ms: number; peakMb: number };
      const size = zip.length < MIB ? `${zip.length} B` : `${(zip.length / MIB).toFixed(1)} MiB`;
      console.log(
        `${name.padEnd(11)} (${size.padStart(9)}) ${r.ms.toFixed(0).padStart(7)} ms  peak +${r.peakMb.toFixed(0).padStart(5)} MB  ${r.what.slice(0, 110)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
