import { Type, type Static } from 'typebox';
import { AreaCode } from './common.ts';

export const alertKinds = ['abnormal_temperature', 'red_code', 'positive_result', 'missed_check', 'overdue_release', 'late_result', 'report_reminder', 'report_late', 'report_escalated', 'rectification_escalated'] as const;
export const AlertKind = Type.Enum(alertKinds);
export type AlertKind = (typeof alertKinds)[number];

/**
 * Alerts addressed to a unit and its street office, not to those above: a daily-report reminder.
 * Every community's falls due at 08:30, so the district, the city and the wall display would get
 * thousands of them each morning, pushing real alerts off their lists. Lists scoped above a street
 * leave them out unless asked for by kind; the socket sends them to watchers of the street and below.
 */
export const streetAudienceKinds: readonly AlertKind[] = ['report_reminder'];
/** The street is the third level of an area path (city.district.street). */
export const streetLevel = 3;
export const AlertStatus = Type.Enum(['open', 'acknowledged', 'closed']);

/** Officials and grid workers follow alerts up; the wall and inspection teams only see them. */
export const alertHandlerRoles = ['admin', 'command', 'district_official', 'street_official', 'grid_worker'] as const;

/** An alert names places and figures, never people: the wall display shows them as they are. */
export const Alert = Type.Object({
  id: Type.Integer(),
  kind: AlertKind,
  status: AlertStatus,
  /** the grid where it happened; its ancestors' codes are the prefixes */
  areaCode: Type.String(),
  areaName: Type.String({ description: 'district · street · community · grid, in Chinese' }),
  day: Type.String(),
  raisedAt: Type.String(),
  details: Type.Object({
    temperature: Type.Optional(Type.Number()),
    siteId: Type.Optional(Type.Integer()),
    siteName: Type.Optional(Type.String()),
    /** the case or test behind the alert: opaque ids, never a person's data */
    caseId: Type.Optional(Type.String({ format: 'uuid' })),
    testId: Type.Optional(Type.String({ format: 'uuid' })),
    /** missed_check: which of the day's two checks */
    slot: Type.Optional(Type.Enum(['morning', 'afternoon'])),
    /** late_result: when the result was due */
    dueAt: Type.Optional(Type.String()),
    /** overdue_release: the planned release day */
    plannedEnd: Type.Optional(Type.String()),
    /** report_late, report_escalated: one alert per street names its units without a report (the first 100) */
    unitCount: Type.Optional(Type.Integer()),
    units: Type.Optional(Type.Array(Type.Object({ code: Type.String(), name: Type.String() }))),
  }),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type Alert = Static<typeof Alert>;

export const AlertListQuery = Type.Object({
  area: Type.Optional(AreaCode),
  status: Type.Optional(Type.Enum(['open', 'acknowledged', 'closed', 'active', 'all'], { default: 'active', description: 'active = open or acknowledged' })),
  kind: Type.Optional(AlertKind),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'only alerts with a smaller id (paging, newest first)' })),
});
export const AlertList = Type.Object({ items: Type.Array(Alert), total: Type.Integer() });
export type AlertList = Static<typeof AlertList>;

export const AlertParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const AlertAction = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
