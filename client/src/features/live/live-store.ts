// The live connection (wall display and officials' pages): one socket.io client on /live, a bounded store of the latest figures
// per watched area and a capped list of alerts, read by React through useSyncExternalStore.
//
// Long-running rules: the store only holds the areas currently watched (others are dropped when the
// watch changes) and at most `maxAlerts` alerts; listeners are notified at most every `notifyMs`, so
// a burst of updates costs one render; on every (re)connect the watch is sent again and its snapshot
// replaces what we had (that is how a client that missed messages resynchronises).
import { io, type Socket } from 'socket.io-client';
import { useSyncExternalStore } from 'react';
import type {
  Alert,
  AreaDayCounts,
  InspectionUpdate,
  LiveClientToServerEvents,
  LiveServerToClientEvents,
  ReportsUpdate,
  WatchReply,
} from '../../../../server/contracts/index.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'offline';
type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;

export const maxAlerts = 30;
const notifyMs = 250;

export interface LiveSnapshot {
  status: ConnectionStatus;
  /** Latest figures by area code (today's, highest version). */
  counts: ReadonlyMap<string, AreaDayCounts>;
  /** Newest first, at most maxAlerts. */
  alerts: readonly Alert[];
  /** Date.now() of the last figures received. */
  updatedAt: number | null;
}

/** Is `next` newer than `current`? A later day wins; within a day, the higher version. */
export function isNewer(next: AreaDayCounts, current: AreaDayCounts | undefined): boolean {
  if (!current) return true;
  if (next.day !== current.day) return next.day > current.day;
  return next.version > current.version;
}

/** Merges alerts newest first (by raisedAt, then id), without duplicates, capped. */
export function mergeAlerts(current: readonly Alert[], incoming: readonly Alert[], cap = maxAlerts): Alert[] {
  const byId = new Map<number, Alert>();
  for (const alert of [...incoming, ...current]) if (!byId.has(alert.id)) byId.set(alert.id, alert);
  return [...byId.values()]
    .sort((a, b) => (a.raisedAt === b.raisedAt ? b.id - a.id : a.raisedAt < b.raisedAt ? 1 : -1))
    .slice(0, cap);
}

export interface LiveStoreOptions {
  /** Called when the server refuses the socket because the session is gone. */
  onUnauthenticated: () => void;
  /** Called when a surge of alerts was summarised instead of pushed: the alert list should be re-read. */
  onMoreAlerts?: () => void;
  /** Called with each `reports:updated` (a watched area's report compliance changed). */
  onReportsUpdated?: (update: ReportsUpdate) => void;
  /** Called with each `inspection:updated` (a supervision round changed in or below a watched area). */
  onInspectionUpdated?: (update: InspectionUpdate) => void;
  /** Called when the socket connects again after a drop: pushes may have been missed meanwhile. */
  onReconnected?: () => void;
  url?: string;
}

export class LiveStore {
  private socket: LiveSocket | null = null;
  private watched: readonly string[] = [];
  private snapshot: LiveSnapshot = { status: 'connecting', counts: new Map(), alerts: [], updatedAt: null };
  private counts = new Map<string, AreaDayCounts>();
  private alerts: readonly Alert[] = [];
  private status: ConnectionStatus = 'connecting';
  private updatedAt: number | null = null;
  private listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryAttempt = 0;
  private watchSeq = 0;

  constructor(private readonly options: LiveStoreOptions) {}

  start(): void {
    if (this.socket) return;
    const socket: LiveSocket = io(`${this.options.url ?? ''}/live`, {
      withCredentials: true,
      transports: ['websocket', 'polling'],
      // socket.io's own reconnection (exponential, jittered) covers network drops and server restarts.
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.socket = socket;
    let connectedBefore = false;
    socket.on('connect', () => {
      this.retryAttempt = 0;
      this.sendWatch();
      if (connectedBefore) this.options.onReconnected?.();
      connectedBefore = true;
    });
    socket.on('disconnect', (reason) => {
      this.setStatus('offline');
      // A server shutting down gracefully disconnects its sockets ("io server disconnect"): socket.io
      // does not reconnect after that by itself, but a wall must, whenever the server is back.
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      this.setStatus('offline');
      // A refusal by the namespace's middleware is not retried by socket.io itself.
      if (!socket.active) {
        if (error.data?.code === 'unauthenticated') this.options.onUnauthenticated();
        this.scheduleRetry();
      }
    });
    socket.on('counts:updated', (update) => {
      if (!this.watched.includes(update.area)) return;
      if (!isNewer(update, this.counts.get(update.area))) return;
      this.counts.set(update.area, update);
      this.updatedAt = Date.now();
      this.scheduleNotify();
    });
    socket.on('alert:raised', (alert) => {
      this.alerts = mergeAlerts(this.alerts, [alert]);
      this.scheduleNotify();
    });
    socket.on('alerts:more', () => this.options.onMoreAlerts?.());
    socket.on('reports:updated', (update) => this.options.onReportsUpdated?.(update));
    socket.on('inspection:updated', (update) => this.options.onInspectionUpdated?.(update));
  }

  /** Replaces the watched set (≤ 500 codes); the snapshot arrives in the ack. */
  watch(areas: readonly string[]): void {
    const next = [...new Set(areas)];
    if (next.length === this.watched.length && next.every((code, i) => code === this.watched[i])) return;
    this.watched = next;
    // Drop what is no longer watched so the map cannot grow.
    for (const code of [...this.counts.keys()]) if (!next.includes(code)) this.counts.delete(code);
    this.scheduleNotify();
    this.sendWatch();
  }

  /** Asks again for the snapshot (after midnight, the day's figures start from zero). */
  resync(): void {
    this.sendWatch();
  }

  /**
   * The active alerts read over HTTP (re-read every half minute) are authoritative: an alert closed
   * since leaves the ticker. Pushed alerts newer than the newest listed one are kept (the list may
   * have been read just before they were raised).
   */
  setListedAlerts(listed: readonly Alert[]): void {
    const newestListed = listed.reduce((max, a) => (a.raisedAt > max ? a.raisedAt : max), '');
    const pushedSince = this.alerts.filter((a) => a.raisedAt > newestListed && !listed.some((l) => l.id === a.id));
    const merged = mergeAlerts(pushedSince, listed);
    if (merged.length === this.alerts.length && merged.every((a, i) => a === this.alerts[i])) return;
    this.alerts = merged;
    this.scheduleNotify();
  }

  stop(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.notifyTimer !== null) clearTimeout(this.notifyTimer);
    this.retryTimer = null;
    this.notifyTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LiveSnapshot => this.snapshot;

  private sendWatch(): void {
    const socket = this.socket;
    if (!socket?.connected || this.watched.length === 0) return;
    const seq = ++this.watchSeq;
    const areas = [...this.watched];
    socket.timeout(15_000).emit('areas:watch', { areas }, (error: Error | null, reply: WatchReply) => {
      if (seq !== this.watchSeq || socket !== this.socket) return; // a newer watch superseded this one
      if (error || 'error' in reply) {
        console.warn('areas:watch failed', error?.message ?? ('error' in reply ? reply.error.message : ''));
        this.setStatus('offline');
        this.scheduleRetry();
        return;
      }
      // The snapshot is authoritative for the day it carries: it replaces, it does not merge.
      for (const row of reply.data) {
        const current = this.counts.get(row.area);
        if (!current || row.day >= current.day) this.counts.set(row.area, row);
      }
      this.updatedAt = Date.now();
      this.setStatus('live');
    });
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || !this.socket) return;
    const delay = Math.min(30_000, 1000 * 2 ** this.retryAttempt) * (0.75 + Math.random() * 0.5);
    this.retryAttempt = Math.min(this.retryAttempt + 1, 6);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      const socket = this.socket;
      if (!socket) return;
      if (socket.connected) this.sendWatch();
      else socket.connect();
    }, delay);
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.scheduleNotify(true);
  }

  private scheduleNotify(immediate = false): void {
    if (immediate) {
      if (this.notifyTimer !== null) clearTimeout(this.notifyTimer);
      this.notifyTimer = null;
      this.publish();
      return;
    }
    if (this.notifyTimer !== null) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.publish();
    }, notifyMs);
  }

  private publish(): void {
    this.snapshot = { status: this.status, counts: new Map(this.counts), alerts: this.alerts, updatedAt: this.updatedAt };
    for (const listener of this.listeners) listener();
  }
}

export function useLive(store: LiveStore): LiveSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
