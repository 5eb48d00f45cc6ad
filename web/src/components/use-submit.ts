import { useCallback, useState } from 'react';

/**
 * A form or button action: `busy` while it runs, its error kept for display (cleared when it
 * runs again). `setError` shows a problem found before calling the API (e.g. a bad amount).
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
