// Live figures for the officials' pages: one socket for the page, watching the selected area and
// its sub-areas; the snapshot on every watch change, then the server's batched updates.
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { meQueryKey } from '../../lib/query-client.ts';
import { LiveStore, useLive, type LiveSnapshot } from './live-store.ts';

export function useLiveFigures(codes: readonly string[], day: string): LiveSnapshot {
  const client = useQueryClient();
  const [store] = useState(() => new LiveStore({ onUnauthenticated: () => void client.invalidateQueries({ queryKey: meQueryKey }) }));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const key = codes.join(',');
  useEffect(() => {
    if (key) store.watch(key.split(','));
  }, [store, key]);
  // After the city's midnight the day's figures start again: ask for a fresh snapshot.
  useEffect(() => store.resync(), [store, day]);
  return useLive(store);
}
