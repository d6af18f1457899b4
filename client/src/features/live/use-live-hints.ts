// For pages that show no live figures but must know when to re-read (reports, inspection): one
// socket watching the user's area, whose pushes only say what changed.
import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { meQueryKey } from '../../lib/query-client.ts';
import { LiveStore, type LiveStoreOptions } from './live-store.ts';

export type LiveHints = Pick<LiveStoreOptions, 'onReportsUpdated' | 'onInspectionUpdated' | 'onReconnected'>;

/** Watches `area` while the page is open and calls the latest `hints` for each push. */
export function useLiveHints(area: string, hints: LiveHints): void {
  const client = useQueryClient();
  const latest = useRef(hints);
  latest.current = hints;
  const [store] = useState(
    () =>
      new LiveStore({
        onUnauthenticated: () => void client.invalidateQueries({ queryKey: meQueryKey }),
        onReportsUpdated: (update) => latest.current.onReportsUpdated?.(update),
        onInspectionUpdated: (update) => latest.current.onInspectionUpdated?.(update),
        onReconnected: () => latest.current.onReconnected?.(),
      }),
  );
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  useEffect(() => store.watch([area]), [store, area]);
}
