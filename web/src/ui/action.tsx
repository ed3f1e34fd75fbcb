import { useState } from 'preact/hooks';
import { reasonOf } from './dialog';

/** A form's call to the server: busy while it runs, the server's reason when it refuses. */
export function useAction() {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>, onError?: () => void): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(reasonOf(err));
      onError?.();
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, setError };
}

export function ErrorAlert({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" class="error">
      {error}
    </p>
  );
}
