/**
 * hazetrace/attribution: from each PM2.5 peak back to the fires, repeat-burn areas, facilities and
 * countries that caused it (DESIGN §4).
 */
export { pscf, cwt, sqtba } from './trajstats.js';
export type { TrajGrid, CountWeighting, TrajPoints, TrajCell, TrajStatResult, TrajStatOptions, PscfOptions, SqtbaPoints, SqtbaOptions } from './trajstats.js';
