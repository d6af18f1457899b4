import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import type { Alert, AreaDayCounts } from '../../../../server/contracts/index.ts';
import { isNewer, LiveStore, maxAlerts, mergeAlerts } from './live-store.ts';
import { zeroCounts } from './figures.ts';

const counts = (day: string, version: number): AreaDayCounts => ({
  area: '310000',
  day,
  version,
  counts: { ...zeroCounts, screened: version },
});

const alert = (id: number, raisedAt: string): Alert => ({
  id,
  kind: 'abnormal_temperature',
  status: 'open',
  areaCode: '31010100100101',
  areaName: '黄浦区 · 南京东路街道',
  day: raisedAt.slice(0, 10),
  raisedAt,
  details: { temperature: 37.8 },
  acknowledgedBy: null,
  acknowledgedAt: null,
  closedBy: null,
  closedAt: null,
  note: null,
});

describe('live store', () => {
  it('keeps the highest version of a day, and a new day over any version of the old one', () => {
    expect(isNewer(counts('2026-11-23', 5), counts('2026-11-23', 4))).toBe(true);
    expect(isNewer(counts('2026-11-23', 3), counts('2026-11-23', 4))).toBe(false);
    expect(isNewer(counts('2026-11-24', 1), counts('2026-11-23', 900))).toBe(true);
    expect(isNewer(counts('2026-11-22', 999), counts('2026-11-23', 1))).toBe(false);
  });

  it('holds at most maxAlerts alerts, newest first, without duplicates', () => {
    let alerts: Alert[] = [];
    for (let i = 1; i <= 200; i += 1) alerts = mergeAlerts(alerts, [alert(i, new Date(Date.UTC(2026, 10, 23, 0, 0, i)).toISOString()), alert(i, '2026-11-23T00:00:00Z')]);
    expect(alerts).toHaveLength(maxAlerts);
    expect(alerts[0]!.id).toBe(200);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(maxAlerts);
  });

  it('drops alerts that left the active list', async () => {
    const store = new LiveStore({ onUnauthenticated: () => undefined });
    store.setListedAlerts([alert(1, '2026-11-23T01:00:00Z'), alert(2, '2026-11-23T02:00:00Z')]);
    // 1 was closed meanwhile, 3 was raised: the re-read list is what the ticker shows
    store.setListedAlerts([alert(2, '2026-11-23T02:00:00Z'), alert(3, '2026-11-23T03:00:00Z')]);
    await new Promise((resolve) => setTimeout(resolve, 400)); // listeners are notified at most every 250 ms
    expect(store.getSnapshot().alerts.map((a) => a.id)).toEqual([3, 2]);
    store.stop();
  });

  it('tells the page when the socket is back after the server dropped it, so it re-reads what it missed', async () => {
    // A real socket.io server on /live that answers watches; the store's own reconnection does the rest.
    const http = createServer();
    const io = new Server(http);
    const connections: Socket[] = [];
    io.of('/live').on('connection', (socket) => {
      connections.push(socket);
      socket.on('areas:watch', (_request: unknown, ack: (reply: { data: [] }) => void) => ack({ data: [] }));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    let reconnected = 0;
    const store = new LiveStore({ onUnauthenticated: () => undefined, onReconnected: () => (reconnected += 1), url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
    try {
      store.start();
      store.watch(['310000']);
      await expect.poll(() => connections.length, { timeout: 5000 }).toBe(1);
      expect(reconnected).toBe(0);
      connections[0]!.disconnect(true);
      await expect.poll(() => connections.length, { timeout: 5000 }).toBe(2);
      await expect.poll(() => reconnected, { timeout: 5000 }).toBe(1);
    } finally {
      store.stop();
      await new Promise((resolve) => io.close(resolve));
    }
  });
});
