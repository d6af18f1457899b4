// socket.io namespace /live: typed events shared by the server and the client.
import { Type, type Static } from 'typebox';
import { AreaCode } from './common.ts';
import type { AreaDayCounts } from './stats.ts';
import type { Alert } from './alerts.ts';
import type { ReportsUpdate } from './reports.ts';

export const liveNamespace = '/live';
export const maxWatchedAreas = 500;

export const WatchRequest = Type.Object(
  { areas: Type.Array(AreaCode, { minItems: 1, maxItems: maxWatchedAreas }) },
  { additionalProperties: false },
);
export type WatchRequest = Static<typeof WatchRequest>;

export type WatchReply = { data: AreaDayCounts[] } | { error: { code: string; message: string } };

/**
 * Something of a supervision round changed in (or below) a watched area: a visit recorded or its sheet
 * submitted, a rectification reported or verified, a case filed, a plan made or changed, or a team's
 * shared position. A hint to re-read (the reads are limited to the reader's jurisdiction), so it
 * carries no names, no findings and no coordinates.
 */
export const InspectionUpdate = Type.Object({
  kind: Type.Enum(['visit', 'rectification', 'case', 'plan', 'position']),
  roundId: Type.Union([Type.Integer(), Type.Null()]),
  /** the city day it concerns */
  day: Type.String(),
  teamId: Type.Union([Type.Integer(), Type.Null()]),
  siteId: Type.Union([Type.Integer(), Type.Null()]),
});
export type InspectionUpdate = Static<typeof InspectionUpdate>;

export interface LiveClientToServerEvents {
  /** Replaces the set of watched areas; the ack carries today's figures for each. */
  'areas:watch': (request: WatchRequest, ack: (reply: WatchReply) => void) => void;
}

export interface LiveServerToClientEvents {
  /** An area's full figures for the day, after a change (at most four a second per area). */
  'counts:updated': (update: AreaDayCounts) => void;
  /** A new alert in (or below) a watched area; sent once per client whatever it watches. */
  'alert:raised': (alert: Alert) => void;
  /**
   * More alerts were raised in (or below) a watched area than are pushed one by one (a surge):
   * `count` of them were not sent; re-read GET /api/alerts for the full list.
   */
  'alerts:more': (info: { count: number }) => void;
  /** Daily-report compliance of a watched area (or an ancestor of a unit in it) after a submission or an escalation. */
  'reports:updated': (update: ReportsUpdate) => void;
  /** A supervision round changed in or below a watched area (see InspectionUpdate). */
  'inspection:updated': (update: InspectionUpdate) => void;
}

/** Alerts pushed one by one per quarter second; beyond this a surge is summarised as `alerts:more`. */
export const maxAlertsPerPush = 20;
