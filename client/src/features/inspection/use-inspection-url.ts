// The inspection page's choices live in its URL (/inspection?round=1&day=2026-11-24&team=1&tab=sheet),
// so a leader can bookmark their sheet and a reload keeps the view. Changes replace the entry
// (Back leaves the page rather than stepping through every click).
import { useCallback, useSyncExternalStore } from 'react';

export type InspectionTab = 'plan' | 'sheet' | 'coverage' | 'followup';

export interface InspectionUrl {
  round: number | null;
  day: string | null;
  /** null: every team */
  team: number | null;
  tab: InspectionTab;
}

const listeners = new Set<() => void>();
let cachedSearch = '';
let cached: InspectionUrl = { round: null, day: null, team: null, tab: 'plan' };

const positive = (value: string | null) => (value && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : null);

export function parseInspectionUrl(search: string): InspectionUrl {
  const params = new URLSearchParams(search);
  const day = params.get('day');
  const tab = params.get('tab');
  return {
    round: positive(params.get('round')),
    day: day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null,
    team: positive(params.get('team')),
    tab: tab === 'sheet' || tab === 'coverage' || tab === 'followup' ? tab : 'plan',
  };
}

function read(): InspectionUrl {
  if (window.location.search !== cachedSearch) {
    cachedSearch = window.location.search;
    cached = parseInspectionUrl(cachedSearch);
  }
  return cached;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}
function notify(): void {
  listeners.forEach((listener) => listener());
}

export function useInspectionUrl(): [InspectionUrl, (change: Partial<InspectionUrl>) => void] {
  const state = useSyncExternalStore(subscribe, read);
  const update = useCallback((change: Partial<InspectionUrl>) => {
    const next = { ...read(), ...change };
    const url = new URL(window.location.href);
    for (const key of ['round', 'day', 'team', 'tab'] as const) {
      const value = next[key];
      if (value === null || (key === 'tab' && value === 'plan')) url.searchParams.delete(key);
      else url.searchParams.set(key, String(value));
    }
    window.history.replaceState(window.history.state, '', url);
    notify();
  }, []);
  return [state, update];
}
