/**
 * hazetrace/sim: twin experiments. Synthetic scenarios with known truth (sources of every kind, a
 * time-varying wind, real monitor locations), a forward Lagrangian dispersion model that tags every
 * particle with its source, imperfect observations, and skill scores for attribution methods (docs/validation.md).
 */
export * from './config.js';
export { COUNTRY_RINGS, NORTH_STATIONS } from './embedded.js';
export { countryOf, discRing, offsetKm, pointInRing } from './geo.js';
export * from './windgen.js';
export * from './mixing.js';
export * from './scenario.js';
export * from './dispersion.js';
export * from './observe.js';
export * from './skill.js';
export * from './methods.js';
export * from './twin.js';
export * from './export.js';
export { windToNetcdf } from './netcdf.js';
export * from './user-path.js';
export * from './episode-match.js';
