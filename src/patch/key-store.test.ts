import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch } from './fixtures/make-patch';
import { KeyStore } from './key-store';
import { exportPublicKeyFile, generateSigningKeyPair } from './signing';

let dbCounter = 0;
const freshName = (prefix: string) => `${prefix}-${++dbCounter}`;

describe('KeyStore', () => {
  it('keeps the own key pair (non-extractable) across reopen and signs with it', async () => {
    const name = freshName('keys');
    const k1 = await KeyStore.open(name);
    expect(await k1.getOwnKey()).toBeUndefined();
    const own = await k1.getOrCreateOwnKey();
    k1.close();
    const k2 = await KeyStore.open(name);
    const again = await k2.getOrCreateOwnKey();
    expect(again.fingerprint).toBe(own.fingerprint);
    expect(again.privateKey.extractable).toBe(false);
    const bytes = await encodePatchFile(await makePatch(), { signer: again });
    const out = await decodePatchFile(bytes, { fileName: 'x' });
    expect(out.verification.keyFingerprint).toBe(own.fingerprint);
    const rotated = await k2.rotateOwnKey();
    expect(rotated.fingerprint).not.toBe(own.fingerprint);
    k2.close();
  });

  it('adds, lists and removes trusted keys, which decide signed-trusted', async () => {
    const ks = await KeyStore.open(freshName('keys'));
    const alice = await generateSigningKeyPair({ algorithm: 'ECDSA-P256-SHA256' });
    const bytes = await encodePatchFile(await makePatch(), { signer: alice });
    const added = await ks.addTrusted(exportPublicKeyFile(alice, 'Alice'));
    expect(added.fingerprint).toBe(alice.fingerprint);
    expect((await ks.listTrusted()).map((k) => k.label)).toEqual(['Alice']);
    const trusted = await decodePatchFile(bytes, {
      fileName: 'x',
      trustedKeyFingerprints: await ks.trustedFingerprints(),
    });
    expect(trusted.verification.state).toBe('signed-trusted');
    const removed = await ks.removeTrusted(alice.fingerprint);
    expect(removed?.label).toBe('Alice');
    expect(await ks.removeTrusted(alice.fingerprint)).toBeUndefined();
    const after = await decodePatchFile(bytes, {
      fileName: 'x',
      trustedKeyFingerprints: await ks.trustedFingerprints(),
    });
    expect(after.verification.state).toBe('signed-unknown');
    await expect(ks.addTrusted('{"type":"x"}')).rejects.toThrow(/not a Patch Lab public key file/);
    ks.close();
  });
});
