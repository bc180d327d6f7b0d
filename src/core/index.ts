/** Core: errors, geodesy, time, seeded RNG and the shared data model. */
export * from './errors.js';
export * from './geodesy.js';
export * from './time.js';
export * from './rng.js';
export * from './types.js';
