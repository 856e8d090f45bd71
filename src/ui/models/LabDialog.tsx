import { type ReactNode, useEffect, useId, useRef } from 'react';
import './models.css';

/**
 * A modal built on <dialog>: the browser traps focus, Escape closes it, and
 * focus returns to the button that opened it. Panels are narrow; pickers
 * with many choices open here.
 */
export function LabDialog({
  title,
  open,
  onClose,
  children,
  testId,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="lab-dialog"
      aria-labelledby={id}
      onClose={onClose}
      data-testid={testId}
    >
      {open && (
        <>
          <div className="lab-dialog-head">
            <h2 id={id}>{title}</h2>
            <button type="button" className="ghost" onClick={onClose}>
              Close
            </button>
          </div>
          <div className="lab-dialog-body">{children}</div>
        </>
      )}
    </dialog>
  );
}
