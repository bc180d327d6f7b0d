/** Core: errors, geodesy, time, burning seasons, statistics helpers, seeded RNG and the shared data model. */
export * from './errors.js';
export * from './geodesy.js';
export * from './time.js';
export * from './ranges.js';
export * from './season.js';
export * from './stats.js';
export * from './rng.js';
export * from './types.js';
export * from './units.js';
