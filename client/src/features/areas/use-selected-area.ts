// The selected area lives in the URL (?area=310115): reload and the browser's back button work.
import { useCallback, useSyncExternalStore } from 'react';

const param = 'area';
const codePattern = /^[0-9]{6,16}$/;
const listeners = new Set<() => void>();

function readCode(): string | null {
  const code = new URLSearchParams(window.location.search).get(param);
  return code && codePattern.test(code) ? code : null;
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

function write(code: string, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  url.searchParams.set(param, code);
  if (mode === 'push') window.history.pushState({ area: code }, '', url);
  else window.history.replaceState({ area: code }, '', url);
  notify();
}

/** The area in the URL, or `fallback` (the user's jurisdiction) when there is none. */
export function useSelectedArea(fallback: string): [code: string, select: (code: string) => void] {
  const fromUrl = useSyncExternalStore(subscribe, readCode);
  const select = useCallback((code: string) => {
    if (code !== readCode()) write(code, 'push');
  }, []);
  return [fromUrl ?? fallback, select];
}

/** Replaces (not pushes) the URL's area, e.g. to correct an area the user may not see. */
export function replaceSelectedArea(code: string): void {
  write(code, 'replace');
}
