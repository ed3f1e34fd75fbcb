import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from './icons';

/**
 * A modal dialog on the native `<dialog>` (focus kept inside, Escape closes); on closing, focus
 * returns to whatever opened it.
 */
export function Dialog({ title, onClose, children }: { title: string; onClose(): void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    dialog?.showModal();
    dialog?.querySelector<HTMLElement>('input, textarea, select, button:not(.dialog-close)')?.focus();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const headingId = `dlg-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={ref}
      aria-labelledby={headingId}
      class="dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={headingId}>{title}</h2>
        <button type="button" class="icon-button dialog-close" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** The server's reason for a refusal, as the person should read it. */
export function reasonOf(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { reason?: string; message?: string; error?: unknown };
    if (e.reason) return e.reason;
    if (e.message) return e.message;
    if (e.error) return String(e.error);
  }
  return String(err);
}

/** A dialog form's buttons: Cancel, and the submit button named for what it does. */
export function DialogActions({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel(): void }) {
  return (
    <div class="row end">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" class="primary" disabled={busy}>
        {submit}
      </button>
    </div>
  );
}
