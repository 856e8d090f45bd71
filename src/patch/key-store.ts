// The user's signing identity and the public keys they trust, in IndexedDB.
// The private key is a non-extractable CryptoKey: IndexedDB stores CryptoKey
// objects by structured clone, so the key can sign across reloads without its
// bytes ever being readable by script (or by a patch file).

import type { DBSchema, IDBPDatabase } from 'idb';
import { openVersioned } from '../storage/idb';
import {
  generateSigningKeyPair,
  type PublicKeyFile,
  parsePublicKeyFile,
  type SigningKeyPair,
} from './signing';
import type { SignatureAlgorithm } from './types';

export interface TrustedKey {
  fingerprint: string;
  label: string;
  algorithm: SignatureAlgorithm;
  publicKey: JsonWebKey;
  addedAt: number;
}

interface OwnKeyRecord extends SigningKeyPair {
  createdAt: number;
}

interface KeyDb extends DBSchema {
  own: { key: 'default'; value: OwnKeyRecord };
  trusted: { key: string; value: TrustedKey };
}

export class KeyStore {
  private constructor(private readonly db: IDBPDatabase<KeyDb>) {}

  static async open(name = 'patch-lab-keys'): Promise<KeyStore> {
    const db = await openVersioned<KeyDb>(name, [
      // v1
      (d) => {
        d.createObjectStore('own');
        d.createObjectStore('trusted', { keyPath: 'fingerprint' });
      },
    ]);
    return new KeyStore(db);
  }

  async getOwnKey(): Promise<SigningKeyPair | undefined> {
    return this.db.get('own', 'default');
  }

  /** The user's key, made on first use. */
  async getOrCreateOwnKey(): Promise<SigningKeyPair> {
    const existing = await this.getOwnKey();
    if (existing) return existing;
    const key = await generateSigningKeyPair();
    await this.db.put('own', { ...key, createdAt: Date.now() }, 'default');
    return key;
  }

  /** Replaces the user's key (patches signed before keep verifying against the old public key). */
  async rotateOwnKey(): Promise<SigningKeyPair> {
    const key = await generateSigningKeyPair();
    await this.db.put('own', { ...key, createdAt: Date.now() }, 'default');
    return key;
  }

  async listTrusted(): Promise<TrustedKey[]> {
    const all = await this.db.getAll('trusted');
    return all.sort((a, b) => a.addedAt - b.addedAt);
  }

  async trustedFingerprints(): Promise<Set<string>> {
    return new Set(await this.db.getAllKeys('trusted'));
  }

  /** Trusts the key in a public key file (text), or one already parsed; the label defaults to the file's. */
  async addTrusted(file: string | PublicKeyFile, label?: string): Promise<TrustedKey> {
    const parsed = typeof file === 'string' ? await parsePublicKeyFile(file) : file;
    const record: TrustedKey = {
      fingerprint: parsed.fingerprint,
      label: label ?? parsed.label,
      algorithm: parsed.algorithm,
      publicKey: parsed.publicKey,
      addedAt: Date.now(),
    };
    await this.db.put('trusted', record);
    return record;
  }

  /** Returns the removed key (for undo via addTrusted), or undefined if it was not trusted. */
  async removeTrusted(fingerprint: string): Promise<TrustedKey | undefined> {
    const tx = this.db.transaction('trusted', 'readwrite');
    const existing = await tx.store.get(fingerprint);
    if (existing) await tx.store.delete(fingerprint);
    await tx.done;
    return existing;
  }

  close(): void {
    this.db.close();
  }
}
