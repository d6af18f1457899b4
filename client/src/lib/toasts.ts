// Error toasts: a tiny external store, so any code (query cache, map events) can raise one
// and only the <Toasts> component re-renders.
import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  /** i18n key of the title, e.g. 'errors.load' */
  titleKey: string;
  detail: string;
}

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

export function pushToast(toast: Omit<Toast, 'id'>, ttlMs = 8000): void {
  // Collapse repeats of the same message (a failing query retried, several tiles failing).
  if (toasts.some((t) => t.titleKey === toast.titleKey && t.detail === toast.detail)) return;
  const id = nextId++;
  toasts = [...toasts, { ...toast, id }].slice(-4);
  emit();
  window.setTimeout(() => dismissToast(id), ttlMs);
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
}
