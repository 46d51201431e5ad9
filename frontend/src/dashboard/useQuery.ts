// Run one query whenever its variables change; the latest answer wins.
import { useEffect, useState } from 'react';
import { query } from './api';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/** ``document`` with ``variables`` (skipped while ``variables`` is null); ``refresh`` re-runs it. */
export function useQuery<T>(
  document: string,
  variables: Record<string, unknown> | null,
  token: string | null,
  refresh = 0,
): QueryState<T> {
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: true });
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (variables === null) return;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    query<T>(document, variables, token).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: Error) => current && setState({ data: null, error: error.message, loading: false }),
    );
    return () => {
      current = false;
    };
    // `variables` is compared by value (`key`): callers pass a new object on every render.
  }, [document, key, token, refresh]);
  return state;
}
