import type { SignatureVerification } from '../../patch/types';

const TEXT: Record<SignatureVerification['state'], string> = {
  'signed-trusted': 'signed · trusted',
  'signed-unknown': 'signed · unknown key',
  unsigned: 'unsigned',
  invalid: 'modified · does not verify',
};

/** The signature state in words (not colour alone), with the full sentence as a tooltip. */
export function VerificationBadge({ v }: { v: SignatureVerification }) {
  return (
    <span
      className={`verify-badge verify-${v.state}`}
      title={v.message}
      data-testid="verification"
      data-state={v.state}
    >
      {TEXT[v.state]}
    </span>
  );
}
