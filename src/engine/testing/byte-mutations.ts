// Byte-level mutations shared by the fuzz suites of the binary doors (patch
// files, PEFT zips): each returns a new array and draws only from `rng`, so a
// seed reproduces a failing variant exactly.
import type { Rng } from '../rng';

export type ByteMutation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

/** Flip 1–4 random bits. */
export const flipBytes: ByteMutation = (b, rng) => {
  const out = b.slice();
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
};

/** Cut the file at a random length. */
export const truncate: ByteMutation = (b, rng) => b.slice(0, rng.int(b.length));

/** Insert 1–16 random bytes at a random position. */
export const insertBytes: ByteMutation = (b, rng) => {
  const at = rng.int(b.length);
  const extra = 1 + rng.int(16);
  const out = new Uint8Array(b.length + extra);
  out.set(b.subarray(0, at));
  for (let i = 0; i < extra; i++) out[at + i] = rng.int(256);
  out.set(b.subarray(at), at + extra);
  return out;
};

/** Append 1–64 random bytes. */
export const appendGarbage: ByteMutation = (b, rng) => {
  const out = new Uint8Array(b.length + 1 + rng.int(64));
  out.set(b);
  for (let i = b.length; i < out.length; i++) out[i] = rng.int(256);
  return out;
};
