import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';
import { PatchFileError } from './errors';
import { decodePatchFile, encodePatchFile } from './file';
import { makePatch, rawSafetensors } from './fixtures/make-patch';
import { sha256Hex } from './hash';
import {
  exportPublicKeyFile,
  formatKeyFingerprint,
  generateSigningKeyPair,
  parsePublicKeyFile,
  publicKeyFingerprint,
  signaturePayload,
  supportsEd25519,
} from './signing';
import type { SignatureAlgorithm } from './types';

function editManifest(bytes: Uint8Array, edit: (m: Record<string, unknown>) => void): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const m = JSON.parse(header.__metadata__.patch_lab);
  edit(m);
  header.__metadata__.patch_lab = JSON.stringify(m);
  return rawSafetensors(header, bytes.subarray(8 + n));
}

const fileName = 'signed.patch.safetensors';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    );
  });
});

describe('key fingerprints', () => {
  it('computes the RFC 7638 thumbprint over the required members only', async () => {
    // The EC key from RFC 7515 A.3, with an extra member that must not count.
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      ext: true,
    };
    const expected = await sha256Hex(
      new TextEncoder().encode(
        '{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}',
      ),
    );
    expect(await publicKeyFingerprint(jwk)).toBe(expected);
    expect(formatKeyFingerprint('0123456789abcdef0123')).toBe('0123 4567 89ab cdef');
  });
});

const algorithms: SignatureAlgorithm[] = ['ECDSA-P256-SHA256'];
if (await supportsEd25519()) algorithms.push('Ed25519');

describe.each(algorithms)('signing with %s', (algorithm) => {
  it('verifies as signed-unknown, then signed-trusted once the key is trusted', async () => {
    const key = await generateSigningKeyPair({ algorithm });
    expect(key.privateKey.extractable).toBe(false);
    const bytes = await encodePatchFile(await makePatch(), { signer: key });
    const unknown = await decodePatchFile(bytes, { fileName });
    expect(unknown.verification.state).toBe('signed-unknown');
    expect(unknown.verification.keyFingerprint).toBe(key.fingerprint);
    expect(unknown.patch.manifest.signature?.algorithm).toBe(algorithm);
    const trusted = await decodePatchFile(bytes, {
      fileName,
      trustedKeyFingerprints: [key.fingerprint],
    });
    expect(trusted.verification.state).toBe('signed-trusted');
    expect(trusted.verification.message).toContain(formatKeyFingerprint(key.fingerprint));
  });

  it('detects a manifest edited after signing and refuses it unless overridden', async () => {
    const key = await generateSigningKeyPair({ algorithm });
    const bytes = await encodePatchFile(await makePatch(), { signer: key });
    const edited = editManifest(bytes, (m) => {
      (m.metrics as Record<string, Record<string, number>>).toxicity.patched = 0.01;
    });
    const err = await decodePatchFile(edited, { fileName }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PatchFileError);
    expect((err as PatchFileError).code).toBe('SIGNATURE_INVALID');
    expect((err as PatchFileError).message).toBe(
      `"${fileName}": The signature does not match — the file was modified after it was signed.`,
    );
    const forced = await decodePatchFile(edited, { fileName, acceptModified: true });
    expect(forced.verification.state).toBe('invalid');
    expect(forced.patch.manifest.metrics.toxicity.patched).toBe(0.01);
  });

  it('detects a swapped-in key: a re-signature by another key is not the original signer', async () => {
    const alice = await generateSigningKeyPair({ algorithm });
    const mallory = await generateSigningKeyPair({ algorithm });
    const patch = await makePatch();
    const bytes = await encodePatchFile(patch, { signer: alice });
    // Mallory pastes Alice's fingerprint over a signature made with her own key.
    const forged = await encodePatchFile(patch, { signer: mallory });
    const swapped = editManifest(forged, (m) => {
      (m.signature as Record<string, unknown>).keyFingerprint = alice.fingerprint;
    });
    const e = await decodePatchFile(swapped, { fileName }).catch((x: PatchFileError) => x);
    expect((e as PatchFileError).message).toMatch(/fingerprint does not match its public key/);
    const ok = await decodePatchFile(bytes, {
      fileName,
      trustedKeyFingerprints: [alice.fingerprint],
    });
    const bad = await decodePatchFile(forged, {
      fileName,
      trustedKeyFingerprints: [alice.fingerprint],
    });
    expect(ok.verification.state).toBe('signed-trusted');
    expect(bad.verification.state).toBe('signed-unknown');
  });

  it('detects a flipped tensor byte as a content change before the signature', async () => {
    const key = await generateSigningKeyPair({ algorithm });
    const bytes = await encodePatchFile(await makePatch(), { signer: key });
    bytes[bytes.length - 1] ^= 0x40;
    const e = await decodePatchFile(bytes, { fileName }).catch((x: PatchFileError) => x);
    expect((e as PatchFileError).code).toBe('CONTENT_MODIFIED');
  });

  it('keeps a carried signature valid through decode → encode without a signer', async () => {
    const key = await generateSigningKeyPair({ algorithm });
    const bytes = await encodePatchFile(await makePatch(), { signer: key });
    const { patch } = await decodePatchFile(bytes, { fileName });
    const again = await decodePatchFile(await encodePatchFile(patch), { fileName });
    expect(again.verification.state).toBe('signed-unknown');
    patch.embeddings[0] += 1;
    await expect(encodePatchFile(patch)).rejects.toThrow(/changed since the patch was signed/);
  });

  it('exports and re-reads a public key file, recomputing its fingerprint', async () => {
    const key = await generateSigningKeyPair({ algorithm });
    const text = exportPublicKeyFile(key, 'Alice’s laptop');
    const parsed = await parsePublicKeyFile(text);
    expect(parsed.fingerprint).toBe(key.fingerprint);
    expect(parsed.label).toBe('Alice’s laptop');
    expect(parsed.algorithm).toBe(algorithm);
    const lying = JSON.parse(text);
    lying.fingerprint = 'f'.repeat(64);
    await expect(parsePublicKeyFile(JSON.stringify(lying))).rejects.toThrow(
      /fingerprint does not match/,
    );
    await expect(parsePublicKeyFile('{"type":"other"}')).rejects.toThrow(
      /not a Patch Lab public key file/,
    );
  });
});

describe('signaturePayload', () => {
  it('is the documented prefix, tensor hash and canonical manifest without the signature', () => {
    const payload = new TextDecoder().decode(
      signaturePayload({ name: 'n', signature: { value: 'x' }, a: 1 }, 'ab'.repeat(32)),
    );
    expect(payload).toBe(`patch-lab-signature-v1\n${'ab'.repeat(32)}\n{"a":1,"name":"n"}`);
  });
});
