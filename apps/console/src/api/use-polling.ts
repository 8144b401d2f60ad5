import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Polled<T> {
  data: T | null;
  error: Error | null;
  /** Loads again now (after an action changed what is shown). */
  refresh(): void;
}

/**
 * Loads `load()` now and every `intervalMs` while the page is shown. Rounds never overlap,
 * and a round still running when the component goes away is ignored.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: readonly unknown[] = [],
): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const round = async () => {
      try {
        const value = await loadRef.current();
        if (!active) return;
        setData(value);
        setError(null);
      } catch (failure) {
        if (!active) return;
        setError(failure instanceof Error ? failure : new Error(String(failure)));
      }
      if (active) timer = setTimeout(round, intervalMs);
    };
    void round();
    return () => {
      active = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs, tick, ...deps]);

  const refresh = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, refresh };
}
