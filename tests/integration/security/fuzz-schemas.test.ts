// Every write route's input schema bounds what it accepts: strings have a length (or a pattern,
// format or enum that bounds it), arrays a size, numbers a range, bodies no unknown properties.
// The fuzzing (fuzz-http.test.ts) finds what a loose schema lets through; this finds the loose schema.
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../helpers/test-app.ts';
import { ScreeningRecord } from '../../../server/contracts/screening.ts';
import { PersonInput } from '../../../server/contracts/people.ts';
import { TemperatureCheckRecord } from '../../../server/contracts/quarantine.ts';
import { NucleicResultRecord, NucleicTestRecord } from '../../../server/contracts/nucleic-tests.ts';
import { WatchRequest } from '../../../server/contracts/live.ts';
import { collectWriteRoutes, routeKey } from './fuzz-support.ts';

type Schema = Record<string, unknown>;

/** Where a schema lets unbounded input through, as JSON paths. */
function looseSpots(schema: unknown, path = '', closed = true): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Schema;
  const spots: string[] = [];
  const nested = [...((s.anyOf ?? s.oneOf ?? s.allOf ?? []) as unknown[])];
  for (const [i, part] of nested.entries()) spots.push(...looseSpots(part, `${path}|${i}`, closed));
  if ('const' in s || Array.isArray(s.enum)) return spots;
  const types = [s.type].flat();
  if (types.includes('string')) {
    // Anchored, and no unbounded repetition outside character classes.
    const outsideClasses = typeof s.pattern === 'string' ? s.pattern.replace(/\\./g, '').replace(/\[[^\]]*\]/g, '') : '';
    const boundedPattern = typeof s.pattern === 'string' && /^\^.*\$$/.test(s.pattern) && !/[*+]|\{\d+,\}/.test(outsideClasses);
    if (s.maxLength === undefined && !boundedPattern && !['uuid', 'date-time', 'date'].includes(s.format as string)) spots.push(`${path || '/'}: string without maxLength`);
  }
  if ((types.includes('number') || types.includes('integer')) && (s.minimum === undefined || s.maximum === undefined)) {
    spots.push(`${path || '/'}: number without minimum and maximum`);
  }
  if (types.includes('array')) {
    const tuple = Array.isArray(s.prefixItems) || Array.isArray(s.items);
    if (s.maxItems === undefined && !tuple) spots.push(`${path || '/'}: array without maxItems`);
    for (const [i, item] of [s.prefixItems ?? s.items].flat().entries()) spots.push(...looseSpots(item, `${path}/${tuple ? i : '*'}`, closed));
  }
  if (types.includes('object') || s.properties) {
    if (closed && s.additionalProperties !== false && nested.length === 0) spots.push(`${path || '/'}: object allows unknown properties`);
    for (const [key, property] of Object.entries((s.properties ?? {}) as Schema)) spots.push(...looseSpots(property, `${path}/${key}`, closed));
  }
  return spots;
}

const { onRoute, routes } = collectWriteRoutes();
const t = await createTestApp({ onRoute });
afterAll(() => t.close());

// Path and query parameters are named by the route: an unknown one is never read, so they may stay open.
const spotsOf = (route: (typeof routes)[number]) => [
  ...looseSpots(route.body, 'body'),
  ...looseSpots(route.params, 'params', false),
  ...looseSpots(route.querystring, 'querystring', false),
];

describe('input schemas are bounded', () => {
  for (const route of routes) {
    it(routeKey(route), () => {
      expect(spotsOf(route)).toEqual([]);
    });
  }

  it.each([
    ['ScreeningRecord', ScreeningRecord],
    ['PersonInput', PersonInput],
    ['TemperatureCheckRecord', TemperatureCheckRecord],
    ['NucleicTestRecord', NucleicTestRecord],
    ['NucleicResultRecord', NucleicResultRecord],
    ['WatchRequest', WatchRequest],
  ] as const)('%s (checked by its handler)', (_name, schema) => {
    expect(looseSpots(schema)).toEqual([]);
  });
});
