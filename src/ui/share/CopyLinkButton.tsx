import { useEffect, useRef, useState } from 'react';
import './share.css';

type Shown = 'idle' | 'copied' | 'manual';

/**
 * Copies the page's address (which carries the run setup). Where the
 * clipboard API is missing or refused (plain http, some kiosks), it shows the
 * link in a selected text field to copy by hand.
 */
export function CopyLinkButton() {
  const [shown, setShown] = useState<Shown>('idle');
  const [link, setLink] = useState('');
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (shown === 'copied') {
      const t = setTimeout(() => setShown('idle'), 2000);
      return () => clearTimeout(t);
    }
    if (shown === 'manual') {
      field.current?.focus();
      field.current?.select();
    }
  }, [shown]);

  const copy = async () => {
    const href = location.href;
    setLink(href);
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(href);
      setShown('copied');
    } catch {
      setShown('manual');
    }
  };

  return (
    <div className="share">
      <button
        type="button"
        className="ghost"
        onClick={copy}
        data-testid="copy-link"
        title="Copy a link that reproduces this setup: models, data sets and recipe"
      >
        {shown === 'copied' ? '✓ Copied' : 'Copy link'}
      </button>
      <span className="visually-hidden" role="status">
        {shown === 'copied' ? 'Link copied to the clipboard' : ''}
      </span>
      {shown === 'manual' && (
        <div className="share-manual popover" data-testid="copy-link-manual">
          <label className="field">
            The clipboard is not available here: copy the link (Ctrl+C / ⌘C).
            <input
              ref={field}
              readOnly
              value={link}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="copy-link-field"
            />
          </label>
          <button type="button" className="ghost" onClick={() => setShown('idle')}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}
