import { useState } from 'react';
import { errorText } from '../error-text';

export interface ActionStatus {
  ok: boolean;
  text: string;
}

/**
 * One action at a time with a status line: `act` marks the panel busy, runs
 * the action and shows the message it returns, or its error.
 */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<ActionStatus | null>(null);

  const act = async (what: () => Promise<string | undefined>) => {
    setBusy(true);
    setStatus(null);
    try {
      const done = await what();
      if (done) setStatus({ ok: true, text: done });
    } catch (e) {
      setStatus({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return { busy, status, setStatus, act };
}
