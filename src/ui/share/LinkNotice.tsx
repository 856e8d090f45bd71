import { useState } from 'react';
import type { LinkOutcome } from '../../client/share-sync';
import { DEFAULT_PAIR } from '../../hub/presets';
import { selectionFor } from '../../state/setup-state';
import type { SharedModel } from '../../state/share-link';
import { useLab } from '../lab-context';
import './share.css';

/** A role the link leaves out gets its demo model: name which one, not "the demo model" twice. */
const modelText = (m: SharedModel | null, demo: string) =>
  m ? (m.kind === 'embedded' ? m.name : `${m.repo}@${m.revision}`) : `${demo} (the demo default)`;

/** Says what an opened link set up, or why it could not be read (and that defaults are used). */
export function LinkNotice({ outcome }: { outcome: LinkOutcome }) {
  const [open, setOpen] = useState(true);
  // Imported sets arrive from IndexedDB after start: what is missing is judged on the live state.
  const missingSets = useLab((s) =>
    outcome.kind === 'opened' ? selectionFor(s, outcome.setup).missing.join(', ') : '',
  );
  if (!open || outcome.kind === 'none' || outcome.kind === 'restored') return null;
  const dismiss = (
    <button type="button" className="ghost btn-small" onClick={() => setOpen(false)}>
      Dismiss
    </button>
  );
  if (outcome.kind === 'malformed') {
    return (
      <div className="banner error link-notice" role="alert" data-testid="link-error">
        <span>
          This link could not be read: {outcome.message} The lab opened with its defaults instead;
          ask for the link again or set the run up by hand.
        </span>
        {dismiss}
      </div>
    );
  }
  const { setup } = outcome;
  return (
    <div className="banner info link-notice" role="status" data-testid="link-opened">
      <span>
        Opened a shared setup: M = {modelText(setup.base, DEFAULT_PAIR.base)}, M′ ={' '}
        {modelText(setup.reference, DEFAULT_PAIR.reference)}
        {setup.trainSets.length + setup.evalSets.length > 0 &&
          `, ${setup.trainSets.length + setup.evalSets.length} data sets`}
        , recipe {setup.recipe.sftSteps} SFT + {setup.recipe.dpoSteps} DPO steps.
        {missingSets.length > 0 &&
          ` Not in this browser yet: ${missingSets} — import those files in the Data panel.`}
        {outcome.issues.length > 0 && (
          <>
            {' '}
            Some values of the link could not be used and were replaced by the defaults:
            <ul className="link-issues" data-testid="link-issues">
              {outcome.issues.map((issue) => (
                <li key={issue}>{issue}</li>
              ))}
            </ul>
          </>
        )}
      </span>
      {dismiss}
    </div>
  );
}
