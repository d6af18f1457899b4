// Where the list behind each figure comes from: the endpoint that returns exactly the records or
// people the figure counts, for an area and a day.
import type {
  AlertList,
  CaseList,
  NucleicTestList,
  PeopleList,
  ReleasesDue,
  ScreeningList,
} from '../../../../server/contracts/index.ts';
import { withQuery } from '../../lib/http.ts';
import type { Metric } from './figures.ts';

export type FigureRows =
  | { kind: 'screenings'; body: ScreeningList }
  | { kind: 'tests'; body: NucleicTestList }
  | { kind: 'cases'; body: CaseList }
  | { kind: 'alerts'; body: AlertList }
  | { kind: 'people'; body: PeopleList };

export interface FigureSource {
  kind: FigureRows['kind'];
  url: (area: string, day: string, limit: number, offset: number) => string;
}

const screenings = (filter: string): FigureSource => ({
  kind: 'screenings',
  url: (area, day, limit, offset) => withQuery('/api/screenings', { area, day, filter, limit, offset }),
});
const tests = (status?: 'resulted' | 'positive'): FigureSource => ({
  kind: 'tests',
  url: (area, day, limit, offset) => withQuery('/api/nucleic-tests', { area, day, status, limit, offset }),
});
const cases = (filter: (day: string) => Record<string, string | boolean>): FigureSource => ({
  kind: 'cases',
  url: (area, day, limit, offset) => withQuery('/api/quarantine/cases', { area, ...filter(day), limit, offset }),
});

export const figureSources: Partial<Record<Metric, FigureSource>> = {
  screened: screenings('all'),
  abnormalTemp: screenings('abnormalTemp'),
  yellowCode: screenings('yellowCode'),
  redCode: screenings('redCode'),
  referred: screenings('referred'),
  denied: screenings('denied'),
  itineraryFlagged: screenings('itineraryFlagged'),
  testsSampled: tests(),
  testsResulted: tests('resulted'),
  testsPositive: tests('positive'),
  centralised: cases(() => ({ kind: 'centralised', status: 'active' })),
  homeQuarantine: cases(() => ({ kind: 'home_quarantine', status: 'active' })),
  homeMonitoring: cases(() => ({ kind: 'home_monitoring', status: 'active' })),
  releasesDue: cases((day) => ({ dueOn: day, status: 'active' })),
  overdueReleases: cases(() => ({ overdue: true })),
  casesStarted: cases((day) => ({ event: 'start', eventDay: day, status: 'all' })),
  released: cases((day) => ({ event: 'release', eventDay: day, status: 'all' })),
  transferred: cases((day) => ({ event: 'transfer', eventDay: day, status: 'all' })),
  missedChecks: {
    kind: 'alerts',
    url: (area, _day, limit) => withQuery('/api/alerts', { area, kind: 'missed_check', status: 'all', limit }),
  },
  riskAreaArrivals: {
    kind: 'people',
    url: (area, day, limit, offset) => withQuery('/api/people', { area, riskArea: true, arrivedFrom: day, arrivedTo: day, limit, offset }),
  },
};

export const releasesDueUrl = (area: string, day: string) => withQuery('/api/quarantine/releases-due', { area, day });
export type { ReleasesDue };
