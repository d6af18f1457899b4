// Kiosk behaviour: the pointer disappears after a few seconds without movement, and a double click
// toggles full screen (browsers only allow it after a user gesture; a kiosk profile starts with --kiosk).
import { useEffect } from 'react';

export function useKiosk(hideCursorAfterMs = 4000): void {
  useEffect(() => {
    const body = document.body;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onMove = () => {
      body.classList.remove('cursor-hidden');
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => body.classList.add('cursor-hidden'), hideCursorAfterMs);
    };
    const onDoubleClick = () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      else void document.documentElement.requestFullscreen().catch(() => undefined);
    };
    window.addEventListener('mousemove', onMove, { passive: true });
    window.addEventListener('dblclick', onDoubleClick);
    onMove();
    return () => {
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('dblclick', onDoubleClick);
      body.classList.remove('cursor-hidden');
    };
  }, [hideCursorAfterMs]);
}
