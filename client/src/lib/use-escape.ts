import { useEffect, useRef } from 'react';

/**
 * Esc closes the panel or dialog that calls this, before any other handler sees the key (capture
 * phase, propagation stopped): the map page's own Esc (back one level) must not fire as well.
 */
export function useEscapeToClose(onClose: () => void): void {
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      onCloseRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
