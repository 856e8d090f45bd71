import { describe, expect, it } from 'vitest';
import { RunGate } from './run-gate';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('RunGate', () => {
  it('runs shared work side by side', async () => {
    const gate = new RunGate();
    const log: string[] = [];
    let releaseA!: () => void;
    const a = gate.shared('a', () =>
      new Promise<void>((r) => (releaseA = r)).then(() => log.push('a')),
    );
    const b = gate.shared('b', async () => log.push('b'));
    await b;
    expect(log).toEqual(['b']);
    releaseA();
    await a;
    expect(log).toEqual(['b', 'a']);
  });

  it('makes exclusive work wait for in-flight work and hold new work back', async () => {
    const gate = new RunGate();
    const log: string[] = [];
    let releaseLoad!: () => void;
    const load = gate.shared('load M', async () => {
      await new Promise<void>((r) => (releaseLoad = r));
      log.push('load done');
    });
    let waitedFor: string[] = [];
    const switchBackend = gate.exclusively(
      async () => {
        log.push('switch start');
        await tick();
        log.push('switch end');
      },
      (busy) => (waitedFor = busy),
    );
    await tick();
    expect(waitedFor).toEqual(['load M']);
    expect(log).toEqual([]);
    releaseLoad();
    await load;
    await tick();
    const later = gate.shared('generate', async () => log.push('generate'));
    await Promise.all([switchBackend, later]);
    expect(log).toEqual(['load done', 'switch start', 'switch end', 'generate']);
  });
});
