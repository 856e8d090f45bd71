// Signing patches like software releases. A signature covers the canonical
// manifest (without the signature itself) and the tensor hash, so changing a
// single byte of either is detected. Keys are WebCrypto keys: Ed25519 where
// the platform has it, ECDSA P-256 everywhere else. A key is identified by
// its RFC 7638 JWK thumbprint (SHA-256 over the required public members), so
// the same key has the same fingerprint whatever format it travelled in.

import { canonicalJson } from './canonical-json';
import { base64ToBytes, bytesToBase64, sha256Hex } from './hash';
import type {
  PatchManifest,
  PatchSignature,
  SignatureAlgorithm,
  SignatureVerification,
} from './types';

const subtle = () => globalThis.crypto.subtle;

export interface SigningKeyPair {
  algorithm: SignatureAlgorithm;
  /** May be non-extractable: it only ever signs, and IndexedDB can store it as a CryptoKey. */
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JsonWebKey;
  /** RFC 7638 thumbprint, lowercase hex. */
  fingerprint: string;
}

function importParams(algorithm: SignatureAlgorithm): EcKeyImportParams | Algorithm {
  return algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
}

function signParams(algorithm: SignatureAlgorithm): EcdsaParams | Algorithm {
  return algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
}

let ed25519Support: Promise<boolean> | null = null;

/** Feature detection: Ed25519 in WebCrypto is recent in browsers (Chrome 137, Firefox 129, Safari 17). */
export function supportsEd25519(): Promise<boolean> {
  ed25519Support ??= subtle()
    .generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])
    .then(
      () => true,
      () => false,
    );
  return ed25519Support;
}

/** The public members RFC 7638 hashes, in the order it prescribes (lexicographic). */
function thumbprintMembers(jwk: JsonWebKey): Record<string, string> | null {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.x && jwk.y) {
    return { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) {
    return { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  }
  return null;
}

export function algorithmOfJwk(jwk: JsonWebKey): SignatureAlgorithm | null {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ECDSA-P256-SHA256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'Ed25519';
  return null;
}

/** Full RFC 7638 thumbprint (64 hex) of a P-256 or Ed25519 public JWK. */
export async function publicKeyFingerprint(jwk: JsonWebKey): Promise<string> {
  const members = thumbprintMembers(jwk);
  if (!members) {
    throw new Error(`publicKeyFingerprint: unsupported key (kty ${jwk.kty}, crv ${jwk.crv})`);
  }
  return sha256Hex(new TextEncoder().encode(canonicalJson(members)));
}

/** "3f2a 91c0 7d4e 0b18": the first 16 hex digits in groups of 4, for people to compare. */
export function formatKeyFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

function publicOnly(jwk: JsonWebKey): JsonWebKey {
  const members = thumbprintMembers(jwk);
  if (!members) throw new Error(`unsupported public key (kty ${jwk.kty}, crv ${jwk.crv})`);
  return members;
}

export async function generateSigningKeyPair(
  opts: { algorithm?: SignatureAlgorithm } = {},
): Promise<SigningKeyPair> {
  const algorithm = opts.algorithm ?? ((await supportsEd25519()) ? 'Ed25519' : 'ECDSA-P256-SHA256');
  const pair = (await subtle().generateKey(importParams(algorithm), false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  // Public keys of asymmetric pairs are always extractable, whatever the flag says.
  const publicJwk = publicOnly(await subtle().exportKey('jwk', pair.publicKey));
  return {
    algorithm,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk,
    fingerprint: await publicKeyFingerprint(publicJwk),
  };
}

/** The exact bytes a signature covers. Documented in docs/PATCH_FORMAT.md ("Signature"). */
export function signaturePayload(
  manifestWithoutSignature: object,
  tensorSha256: string,
): Uint8Array {
  const { signature: _dropped, ...rest } = manifestWithoutSignature as Record<string, unknown>;
  return new TextEncoder().encode(
    `patch-lab-signature-v1\n${tensorSha256}\n${canonicalJson(rest)}`,
  );
}

/** Signs a manifest (its tensorSha256 must already be the file's). Returns the signature field. */
export async function signManifest(
  manifest: PatchManifest,
  key: SigningKeyPair,
): Promise<PatchSignature> {
  const payload = signaturePayload(manifest, manifest.tensorSha256);
  const sig = await subtle().sign(
    signParams(key.algorithm),
    key.privateKey,
    payload as BufferSource,
  );
  return {
    algorithm: key.algorithm,
    publicKey: key.publicJwk,
    keyFingerprint: key.fingerprint,
    value: bytesToBase64(new Uint8Array(sig)),
  };
}

export interface VerifyOptions {
  /** Thumbprints the user trusts (see key-store.ts). */
  trustedKeyFingerprints?: Iterable<string>;
}

const invalid = (message: string, keyFingerprint?: string): SignatureVerification => ({
  state: 'invalid',
  message,
  ...(keyFingerprint ? { keyFingerprint } : {}),
});

/**
 * Verifies the signature of a manifest as it was stored (before migration or
 * cleaning, so the signed bytes are the ones the signer saw). `tensorSha256`
 * is the hash computed from the file's tensor, not the manifest's claim.
 */
export async function verifyManifestSignature(
  storedManifest: Record<string, unknown>,
  tensorSha256: string,
  opts: VerifyOptions = {},
): Promise<SignatureVerification> {
  const sig = storedManifest.signature as Partial<PatchSignature> | undefined;
  if (sig === undefined) {
    return {
      state: 'unsigned',
      message: 'This patch is not signed: its author cannot be checked.',
    };
  }
  if (typeof sig !== 'object' || sig === null) return invalid('The signature field is malformed.');
  const jwk = sig.publicKey;
  if (typeof jwk !== 'object' || jwk === null) return invalid('The signature has no public key.');
  const algorithm = algorithmOfJwk(jwk);
  if (!algorithm || algorithm !== sig.algorithm) {
    return invalid('The signature names an algorithm its public key does not use.');
  }
  if ('d' in jwk)
    return invalid('The signature carries a private key; it is not a valid signature.');
  let fingerprint: string;
  try {
    fingerprint = await publicKeyFingerprint(jwk);
  } catch {
    return invalid('The signature’s public key is unreadable.');
  }
  if (sig.keyFingerprint !== fingerprint) {
    return invalid('The signature’s key fingerprint does not match its public key.', fingerprint);
  }
  const value = typeof sig.value === 'string' ? base64ToBytes(sig.value) : null;
  if (!value) return invalid('The signature value is not base64.', fingerprint);
  let ok = false;
  try {
    // Inside the try: a hostile manifest could nest unknown fields deeply enough to overflow canonicalJson.
    const payload = signaturePayload(storedManifest, tensorSha256);
    const key = await subtle().importKey('jwk', publicOnly(jwk), importParams(algorithm), true, [
      'verify',
    ]);
    ok = await subtle().verify(
      signParams(algorithm),
      key,
      value as BufferSource,
      payload as BufferSource,
    );
  } catch {
    return invalid(
      'The signature could not be checked: its public key or manifest is unreadable.',
      fingerprint,
    );
  }
  if (!ok) {
    return invalid(
      'The signature does not match — the file was modified after it was signed.',
      fingerprint,
    );
  }
  const trusted = new Set(opts.trustedKeyFingerprints ?? []);
  const short = formatKeyFingerprint(fingerprint);
  return trusted.has(fingerprint)
    ? {
        state: 'signed-trusted',
        keyFingerprint: fingerprint,
        message: `Signed by a trusted key (${short}).`,
      }
    : {
        state: 'signed-unknown',
        keyFingerprint: fingerprint,
        message: `Signed by a key you have not marked as trusted (${short}).`,
      };
}

/** A shareable public key file ("*.patchkey.json"). */
export interface PublicKeyFile {
  type: 'patch-lab-public-key';
  version: 1;
  algorithm: SignatureAlgorithm;
  label: string;
  publicKey: JsonWebKey;
  fingerprint: string;
}

export function exportPublicKeyFile(
  key: { algorithm: SignatureAlgorithm; publicJwk: JsonWebKey; fingerprint: string },
  label: string,
): string {
  const file: PublicKeyFile = {
    type: 'patch-lab-public-key',
    version: 1,
    algorithm: key.algorithm,
    label,
    publicKey: key.publicJwk,
    fingerprint: key.fingerprint,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Parses a public key file, recomputing (never trusting) its fingerprint. */
export async function parsePublicKeyFile(text: string): Promise<PublicKeyFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('This public key file is not valid JSON.');
  }
  const o = raw as Partial<PublicKeyFile> | null;
  if (typeof o !== 'object' || o === null || o.type !== 'patch-lab-public-key' || o.version !== 1) {
    throw new Error(
      'This is not a Patch Lab public key file (type "patch-lab-public-key", version 1).',
    );
  }
  const jwk = o.publicKey;
  if (typeof jwk !== 'object' || jwk === null || 'd' in jwk) {
    throw new Error('The key file must hold a public JWK without private members.');
  }
  const algorithm = algorithmOfJwk(jwk);
  if (!algorithm) throw new Error('The key file holds neither a P-256 nor an Ed25519 public key.');
  const publicKey = publicOnly(jwk);
  // Importing proves the point is a real key, not just well-formed fields.
  await subtle()
    .importKey('jwk', publicKey, importParams(algorithm), true, ['verify'])
    .catch(() => {
      throw new Error('The key file’s public key is not a valid key.');
    });
  const fingerprint = await publicKeyFingerprint(publicKey);
  if (o.fingerprint !== undefined && o.fingerprint !== fingerprint) {
    throw new Error('The key file’s fingerprint does not match its key.');
  }
  return {
    type: 'patch-lab-public-key',
    version: 1,
    algorithm,
    label: typeof o.label === 'string' ? o.label : '',
    publicKey,
    fingerprint,
  };
}
