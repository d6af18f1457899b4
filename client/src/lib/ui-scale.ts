// UI scale for things drawn in pixels on the map (line widths, label sizes): the root font size
// follows the viewport width (styles.css), so 1 at 1920 px wide and 2 on a 3840 px wall.
import { useSyncExternalStore } from 'react';

const referenceFontPx = 15;

function read(): number {
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? Math.round((px / referenceFontPx) * 100) / 100 : 1;
}

let current = 1;
const listeners = new Set<() => void>();
function onResize(): void {
  const next = read();
  if (next !== current) {
    current = next;
    listeners.forEach((listener) => listener());
  }
}

export function useUiScale(): number {
  return useSyncExternalStore(
    (listener) => {
      if (listeners.size === 0) {
        current = read();
        window.addEventListener('resize', onResize);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) window.removeEventListener('resize', onResize);
      };
    },
    () => (listeners.size === 0 ? read() : current),
  );
}
