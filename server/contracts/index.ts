export * from './common.ts';
export * from './areas.ts';
export * from './sites.ts';
export * from './risk-areas.ts';
export * from './auth.ts';
export * from './tiles.ts';
