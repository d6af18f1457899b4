// What the pointer is over, kept outside React state so a mouse move re-renders only the tooltip.
import { useSyncExternalStore } from 'react';
import type { ChildAreaProperties, SiteCategory } from '../../../server/contracts/index.ts';

export type Hover =
  /** source 'list': hovered or selected in the side panel's list (highlight on the map, no tooltip). */
  | { kind: 'area'; source: 'map' | 'list'; x: number; y: number; area: ChildAreaProperties }
  | { kind: 'site'; x: number; y: number; site: { id: number; name: string; category: SiteCategory } };

let areaHover: Extract<Hover, { kind: 'area' }> | null = null;
let siteHover: Extract<Hover, { kind: 'site' }> | null = null;
let snapshot: Hover | null = null;
const listeners = new Set<() => void>();

function publish(): void {
  const next = siteHover ?? areaHover;
  if (next === snapshot) return;
  snapshot = next;
  listeners.forEach((listener) => listener());
}

export function setAreaHover(hover: Extract<Hover, { kind: 'area' }> | null): void {
  areaHover = hover;
  publish();
}
export function setSiteHover(hover: Extract<Hover, { kind: 'site' }> | null): void {
  siteHover = hover;
  publish();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function useHover(): Hover | null {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** Just the hovered area's code: changes far less often than the pointer position. */
export function useHoveredAreaCode(): string | null {
  return useSyncExternalStore(subscribe, () => (snapshot?.kind === 'area' ? snapshot.area.code : null));
}

/** The code of the area hovered in the side panel's list (highlighted on the map by index). */
export function useListHoveredCode(): string | null {
  return useSyncExternalStore(subscribe, () => (snapshot?.kind === 'area' && snapshot.source === 'list' ? snapshot.area.code : null));
}
