import { useRef, useState } from 'react';
import { exportPublicKey, generateSigningKey, trustKey, untrustKey } from '../../client/patches';
import { saveFile } from '../download';
import { useLab, useLabClient } from '../lab-context';
import { useBusyAction } from './use-busy-action';

/** "3f2a 91c0 7d4e 0b18": the start of a key thumbprint, grouped for people to compare. */
export function shortFingerprint(fp: string): string {
  return (fp.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

/** The user's signing key and the public keys they trust. */
export function SigningKeys() {
  const client = useLabClient();
  const { own, trusted } = useLab((s) => s.signingKeys);
  const [label, setLabel] = useState('');
  const { busy, status, act } = useBusyAction();
  const keyFile = useRef<HTMLInputElement>(null);

  return (
    <details className="keys" data-testid="signing-keys">
      <summary>Signing keys</summary>
      <h3>Your key</h3>
      {own ? (
        <p>
          <code data-testid="own-key-fingerprint" title={own.fingerprint}>
            {shortFingerprint(own.fingerprint)}
          </code>{' '}
          <span className="muted">({own.algorithm})</span>
        </p>
      ) : (
        <p className="muted">No signing key yet. One is made when you first sign or export it.</p>
      )}
      <div className="p-row">
        <button
          type="button"
          className="ghost"
          disabled={busy}
          onClick={() =>
            act(async () => {
              if (
                own &&
                !window.confirm(
                  'Replace your key? Patches you signed keep verifying with the old public key only.',
                )
              )
                return undefined;
              await generateSigningKey(client);
              return own ? 'Made a new key.' : 'Made your signing key.';
            })
          }
        >
          {own ? 'Replace key…' : 'Make a key'}
        </button>
      </div>
      <div className="p-row">
        <label className="field p-grow">
          Name on your public key file
          <input
            value={label}
            placeholder="e.g. Ada, Lab X"
            onChange={(e) => setLabel(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="ghost"
          disabled={busy}
          onClick={() =>
            act(async () => {
              saveFile(await exportPublicKey(client, label));
              return 'Public key file downloaded: share it so others can trust your patches.';
            })
          }
        >
          Export public key
        </button>
      </div>
      <h3>Trusted keys</h3>
      {trusted.length === 0 ? (
        <p className="muted">
          None yet. Add a colleague’s .patchkey.json file to trust their signatures.
        </p>
      ) : (
        <ul className="trusted-list">
          {trusted.map((k) => (
            <li key={k.fingerprint}>
              <span>{k.label || 'unnamed key'}</span>{' '}
              <code title={k.fingerprint}>{shortFingerprint(k.fingerprint)}</code>{' '}
              <button
                type="button"
                className="ghost btn-small"
                disabled={busy}
                aria-label={`Stop trusting ${k.label || shortFingerprint(k.fingerprint)}`}
                onClick={() =>
                  act(async () => {
                    await untrustKey(client, k.fingerprint);
                    return `No longer trusting ${k.label || 'that key'}.`;
                  })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="ghost"
        disabled={busy}
        onClick={() => keyFile.current?.click()}
      >
        Trust a key file…
      </button>
      <input
        ref={keyFile}
        type="file"
        hidden
        accept=".json,application/json"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f)
            void act(async () => {
              await trustKey(client, await f.text());
              return `Trusting the key in ${f.name}.`;
            });
        }}
      />
      {status && (
        <p
          className={status.ok ? 'status-ok' : 'status-error'}
          role={status.ok ? 'status' : 'alert'}
        >
          {status.text}
        </p>
      )}
    </details>
  );
}
